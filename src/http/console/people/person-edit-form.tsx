import type { LockedField, PersonChanges, PersonView } from "../../../domain/people/person";
import { primaryEmail } from "../../../domain/people/person.rules";
import type { Language } from "../../../domain/language";
import type { Texts } from "../i18n";
import { CsrfField, Field, Notice, Select } from "../view/components";
import { Checkbox, type Choice, ChoiceGroup } from "../view/form-controls";
import { valuesOf as listOf } from "../view/form-values";
import { type FormBody, roleChoices, roleOf, textOf } from "./person-form-input";
import { LABELS, LOCKS } from "./person-texts";

const TEXT_FIELDS = [
  "givenName",
  "familyName",
  "email",
  "userName",
  "language",
  "title",
  "department",
  "manager",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** Fields whose empty value means "none" (null), not an empty name. */
const NULLABLE = new Set<TextField>(["language", "title", "department", "manager"]);

/** What the edit form shows: the person's values, or what the admin typed when the form comes back with an error. */
export interface EditValues {
  text: Record<TextField, string>;
  entityId: string;
  role: string;
  adminScope: string[];
  external: boolean;
  version: string;
}

export function valuesOf(v: PersonView): EditValues {
  const u = v.user;
  return {
    text: {
      givenName: u.name.givenName ?? "",
      familyName: u.name.familyName ?? "",
      email: primaryEmail(u) ?? "",
      userName: u.userName,
      language: u.preferredLanguage ?? "",
      title: u.title ?? "",
      department: u.enterprise.department ?? "",
      manager: u.enterprise.managerId ?? "",
    },
    entityId: u.account.entityId ?? "",
    role: u.account.systemRole,
    adminScope: [...u.account.adminScope],
    external: u.account.external,
    version: String(u.version),
  };
}

/** The posted form read as the values it shows (a field the form did not send keeps the person's value). */
export function postedValues(body: FormBody, current: EditValues): EditValues {
  const text = { ...current.text };
  for (const f of TEXT_FIELDS) text[f] = textOf(body, f) ?? current.text[f];
  return {
    text,
    entityId: textOf(body, "entityId") ?? current.entityId,
    role: textOf(body, "role") ?? current.role,
    adminScope: body.adminScopeShown === undefined ? current.adminScope : listOf(body, "adminScope"),
    external: body.external === "on",
    version: textOf(body, "version") ?? current.version,
  };
}

/** Only what the admin changed, as the API's PATCH takes it: a value sent back unchanged is not sent on. */
export function changesOf(posted: EditValues, current: EditValues, body: FormBody): PersonChanges {
  const c: PersonChanges = {};
  for (const f of TEXT_FIELDS) {
    if (posted.text[f] === current.text[f]) continue;
    const value = posted.text[f].trim();
    (c as Record<string, unknown>)[f] = NULLABLE.has(f) && value === "" ? null : posted.text[f];
  }
  if (posted.entityId !== current.entityId) c.entityId = posted.entityId || null;
  if (posted.role !== current.role) c.role = roleOf(body);
  if ([...posted.adminScope].sort().join() !== [...current.adminScope].sort().join()) c.adminScope = posted.adminScope;
  if (posted.external !== current.external) c.external = posted.external;
  return c;
}

/** The form's version field as If-Match versions (the API's optimistic concurrency); none when it is not a number. */
export const versionsOf = (v: EditValues): number[] | undefined =>
  /^\d{1,10}$/.test(v.version) ? [Number(v.version)] : undefined;

const T: Texts<"save" | "cancel" | "scopeHint" | "languageHint" | "externalLabel" | "none" | "stale"> = {
  en: {
    save: "Save",
    cancel: "Cancel",
    scopeHint:
      "For an administrator or auditor: the entities they are limited to. None ticked: the whole organisation.",
    languageHint: "A language tag such as fr or en-GB; empty: automatic.",
    externalLabel: "External person (not an employee)",
    none: "None",
    stale:
      "Someone changed this person while you were editing: the form now shows what you typed; check it and save again.",
  },
  fr: {
    save: "Enregistrer",
    cancel: "Annuler",
    scopeHint:
      "Pour un administrateur ou un auditeur : les entités auxquelles il est limité. Aucune cochée : toute l'organisation.",
    languageHint: "Un code de langue comme fr ou en-GB ; vide : automatique.",
    externalLabel: "Personne externe (pas un salarié)",
    none: "Aucune",
    stale:
      "Quelqu'un a modifié cette personne pendant votre saisie : le formulaire montre ce que vous avez saisi ; vérifiez puis enregistrez à nouveau.",
  },
};

export interface EditFormProps {
  id: string;
  lang: Language;
  csrf: string;
  values: EditValues;
  locked: LockedField[];
  entities: Choice[];
  errors: Record<string, string>;
  /** A general error (not about one field), or the version that moved on meanwhile. */
  notice?: string | "stale";
}

/** The edit form: every field the API lets an admin change; fields the IdP owns read-only, with why. */
export function PersonEditForm(p: EditFormProps) {
  const t = T[p.lang];
  const l = LABELS[p.lang];
  const why = (field: string) => {
    const lock = p.locked.find((x) => x.field === field);
    return lock ? LOCKS[p.lang][lock.why] : null;
  };
  const text = (f: TextField, extra: { type?: "email"; hint?: string; required?: boolean } = {}) => (
    <Field name={f} label={l[f]} value={p.values.text[f]} error={p.errors[f]} lockedBecause={why(f)} {...extra} />
  );
  const entityName = p.entities.find((e) => e.value === p.values.entityId)?.label ?? t.none;
  return (
    <form method="post" action={`/console/people/${p.id}/edit`}>
      {p.notice ? <Notice kind="error">{p.notice === "stale" ? t.stale : p.notice}</Notice> : null}
      <CsrfField token={p.csrf} />
      <input type="hidden" name="version" value={p.values.version} />
      {text("givenName")}
      {text("familyName")}
      {text("email", { type: "email", required: true })}
      {text("userName", { required: true })}
      {text("language", { hint: t.languageHint })}
      {text("title")}
      {text("department")}
      {text("manager")}
      {why("entityId") ? (
        <Field name="entityName" label={l.entity} value={entityName} lockedBecause={why("entityId")} />
      ) : (
        <Select
          name="entityId"
          label={l.entity}
          options={p.entities}
          value={p.values.entityId}
          error={p.errors.entityId}
        />
      )}
      <Select name="role" label={l.role} options={roleChoices(p.lang)} value={p.values.role} error={p.errors.role} />
      <input type="hidden" name="adminScopeShown" value="1" />
      <ChoiceGroup
        name="adminScope"
        legend={l.adminScope}
        kind="checkbox"
        choices={p.entities.filter((e) => e.value !== "")}
        selected={p.values.adminScope}
        hint={t.scopeHint}
        error={p.errors.adminScope}
      />
      <Checkbox name="external" label={t.externalLabel} checked={p.values.external} />
      {p.errors.external ? <p class="field-error">{p.errors.external}</p> : null}
      <p>
        <button type="submit">{t.save}</button> <a href={`/console/people/${p.id}`}>{t.cancel}</a>
      </p>
    </form>
  );
}
