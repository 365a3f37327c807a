import { IMPORT_MODES } from "../../../domain/imports/import";
import type { ImportRecord } from "../../../domain/imports/imports.repository";
import { formatCount, formatInstant } from "../i18n";
import { roleChoices } from "../people/person-form-input";
import type { ConsoleLocals } from "../session";
import { Field, Select } from "../view/components";
import { MODE_NAMES, STATUS_NAMES } from "./import-names";
import { T } from "./imports.texts";

/** What the admin typed in the upload form (shown again with the errors when it is refused). */
export interface UploadValues {
  mode: string;
  invite: string;
  language: string;
  role: string;
  entityId: string;
  groupIds: string[];
}

export const EMPTY_UPLOAD: UploadValues = {
  mode: "upsert",
  invite: "later",
  language: "",
  role: "member",
  entityId: "",
  groupIds: [],
};

export interface UploadFormProps {
  locals: ConsoleLocals;
  values: UploadValues;
  errors: Record<string, string>;
  entities: { id: string; name: string }[];
  groups: { id: string; displayName: string }[];
}

/**
 * The upload: the file-wide settings first, the file last (the settings must reach the server before the file, which
 * is read as it arrives), the CSRF token in the action's query (the multipart body is read by the route only).
 */
export function UploadForm({ locals, values, errors, entities, groups }: UploadFormProps) {
  const t = T[locals.language];
  const action = `/console/imports?_csrf=${encodeURIComponent(locals.csrfToken)}`;
  return (
    <form method="post" action={action} enctype="multipart/form-data">
      <fieldset>
        <legend>{t.settings}</legend>
        <Select
          name="mode"
          label={t.mode}
          value={values.mode}
          error={errors.mode}
          options={IMPORT_MODES.map((m) => ({ value: m, label: MODE_NAMES[locals.language][m] }))}
        />
        <Select
          name="invite"
          label={t.invite}
          value={values.invite}
          error={errors.invite}
          options={[
            { value: "later", label: t.inviteLater },
            { value: "now", label: t.inviteNow },
          ]}
        />
        <Field
          name="language"
          label={t.language}
          hint={t.languageHint}
          value={values.language}
          error={errors.language}
        />
        <Select
          name="role"
          label={t.role}
          value={values.role}
          error={errors.role}
          options={roleChoices(locals.language)}
        />
        <Select
          name="entityId"
          label={t.entity}
          value={values.entityId}
          error={errors.entityId}
          options={[{ value: "", label: t.noEntity }, ...entities.map((e) => ({ value: e.id, label: e.name }))]}
        />
        <GroupsField locals={locals} values={values} error={errors.groupIds} groups={groups} />
      </fieldset>
      <div class={`field${errors.file ? " has-error" : ""}`}>
        <label for="f-file">{t.file}</label>
        <p class="hint" id="f-file-hint">
          {t.fileHint}
        </p>
        <input
          id="f-file"
          name="file"
          type="file"
          required
          accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby={errors.file ? "f-file-hint f-file-error" : "f-file-hint"}
          aria-invalid={errors.file ? "true" : undefined}
        />
        {errors.file ? (
          <p class="field-error" id="f-file-error">
            <span aria-hidden="true">⚠ </span>
            {errors.file}
          </p>
        ) : null}
      </div>
      <button type="submit">{t.send}</button>
    </form>
  );
}

/** Groups as a labelled multiple choice (a plain select: keyboard-usable, no script). */
function GroupsField(p: {
  locals: ConsoleLocals;
  values: UploadValues;
  error?: string;
  groups: UploadFormProps["groups"];
}) {
  const t = T[p.locals.language];
  if (p.groups.length === 0) return null;
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for="f-groupIds">{t.groups}</label>
      <p class="hint" id="f-groupIds-hint">
        {t.groupsHint}
      </p>
      <select
        id="f-groupIds"
        name="groupIds"
        multiple
        size={Math.min(6, p.groups.length)}
        aria-describedby="f-groupIds-hint"
      >
        {p.groups.map((g) => (
          <option value={g.id} selected={p.values.groupIds.includes(g.id)}>
            {g.displayName}
          </option>
        ))}
      </select>
      {p.error ? (
        <p class="field-error">
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

/** Past imports, newest first: one page, never a count of them all. */
export function ImportsTable({ locals, items }: { locals: ConsoleLocals; items: ImportRecord[] }) {
  const t = T[locals.language];
  const lang = locals.language;
  if (items.length === 0) return <p>{t.none}</p>;
  return (
    <table>
      <caption>{t.pastCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.when}</th>
          <th scope="col">{t.fileName}</th>
          <th scope="col">{t.status}</th>
          <th scope="col">{t.counts}</th>
          <th scope="col">{t.who}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr>
            <td>
              <a href={`/console/imports/${i.id}`}>{formatInstant(lang, i.createdAt)}</a>
            </td>
            <td>
              {i.fileName ?? "—"}
              {i.dryRun ? ` (${t.dryRun})` : ""}
            </td>
            <td>
              <span class="badge">{STATUS_NAMES[lang][i.status]}</span>
            </td>
            <td>
              {formatCount(lang, i.progress.done)} / {formatCount(lang, i.counts.total)}
            </td>
            <td>{i.startedBy.name ?? i.startedBy.id ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
