import type { ComponentChildren } from "preact";
import type { Entity } from "../../../domain/entities/entity";
import type { CommunicationSetting } from "../../../domain/settings/communication";
import type { IdpDomains, SignUpSetting } from "../../../domain/settings/setting-kinds";
import { type FieldOwnership, OWNED_FIELDS } from "../../../domain/users/field-ownership";
import { CsrfField, Field, Select } from "../view/components";
import { Checkbox } from "../view/form-controls";
import { type FieldError, errorFor } from "../view/field-errors";
import { T } from "./settings.texts";

type Lang = "en" | "fr";
interface FormProps<V> {
  lang: Lang;
  csrf: string;
  value: V;
  /** The version read (sent back: a change made meanwhile by someone else is refused, not overwritten). */
  version: number;
  err: FieldError | null;
}

function SettingForm(p: { name: string; csrf: string; version: number; lang: Lang; children: ComponentChildren }) {
  return (
    <form method="post" action={`/console/settings/${p.name}`}>
      <CsrfField token={p.csrf} />
      <input type="hidden" name="version" value={String(p.version)} />
      {p.children}
      <button type="submit">{T[p.lang].save}</button>
    </form>
  );
}

export function CommunicationForm(p: FormProps<CommunicationSetting>) {
  const t = T[p.lang];
  return (
    <SettingForm name="communication" csrf={p.csrf} version={p.version} lang={p.lang}>
      <fieldset>
        <legend>{t.autoInvite}</legend>
        <Checkbox name="autoInvite.scim" label={t.autoScim} checked={p.value.autoInvite.scim} />
        <Checkbox name="autoInvite.csv" label={t.autoCsv} checked={p.value.autoInvite.csv} />
      </fieldset>
      <fieldset>
        <legend>{t.channels}</legend>
        <Checkbox name="channels.email" label={t.email} checked={p.value.channels.email} />
        <Checkbox name="channels.sms" label={t.sms} checked={p.value.channels.sms} />
      </fieldset>
    </SettingForm>
  );
}

export function SignUpForm(p: FormProps<SignUpSetting> & { entities: Entity[] }) {
  const t = T[p.lang];
  return (
    <SettingForm name="sign-up" csrf={p.csrf} version={p.version} lang={p.lang}>
      <Checkbox name="enabled" label={t.signUpEnabled} checked={p.value.enabled} />
      <Select
        name="defaultRole"
        label={t.defaultRole}
        value={p.value.defaultRole}
        options={(["member", "auditor", "admin"] as const).map((r) => ({ value: r, label: t[r] }))}
        error={errorFor(p.err, "defaultRole")}
      />
      <Select
        name="defaultEntityId"
        label={t.defaultEntity}
        value={p.value.defaultEntityId ?? ""}
        options={[{ value: "", label: t.noEntity }, ...p.entities.map((e) => ({ value: e.id, label: e.name }))]}
        error={errorFor(p.err, "defaultEntityId")}
      />
      <Field
        name="defaultJobProfile"
        label={t.defaultJobProfile}
        value={p.value.defaultJobProfile}
        error={errorFor(p.err, "defaultJobProfile")}
      />
    </SettingForm>
  );
}

export function FieldOwnershipForm(p: FormProps<FieldOwnership>) {
  const t = T[p.lang];
  return (
    <SettingForm name="field-ownership" csrf={p.csrf} version={p.version} lang={p.lang}>
      {OWNED_FIELDS.map((f) => (
        <Select
          name={`fields.${f}`}
          label={f}
          value={p.value[f]}
          options={[
            { value: "idp", label: t.idp },
            { value: "admin", label: t.byAdmin },
          ]}
          error={errorFor(p.err, `fields.${f}`)}
        />
      ))}
    </SettingForm>
  );
}

/** The domains as a text area, one per line; the error names the line's domain (`domains[i]`). */
export function IdpDomainsForm(p: FormProps<IdpDomains> & { typed?: string }) {
  const t = T[p.lang];
  const error = errorFor(p.err, "domains");
  return (
    <SettingForm name="idp-domains" csrf={p.csrf} version={p.version} lang={p.lang}>
      <div class={`field${error ? " has-error" : ""}`}>
        <label for="f-domains">{t.domains}</label>
        <textarea
          id="f-domains"
          name="domains"
          rows={4}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "f-domains-error" : undefined}
        >
          {p.typed ?? p.value.domains.join("\n")}
        </textarea>
        {error ? (
          <p class="field-error" id="f-domains-error">
            <span aria-hidden="true">⚠ </span>
            {error}
          </p>
        ) : null}
      </div>
    </SettingForm>
  );
}
