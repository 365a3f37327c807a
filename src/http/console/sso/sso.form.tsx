import type { Entity } from "../../../domain/entities/entity";
import type { ConnectionInput } from "../../../domain/sso/connection.rules";
import type { ConnectionView } from "../../../domain/sso/sso-connections.service";
import { CsrfField, Field, Select } from "../view/components";
import { StateBadge } from "../view/controls";
import { Checkbox, TextArea } from "../view/form-controls";
import { linesOf, textOf, ticked } from "../view/form-values";
import { type FieldError, errorFor } from "../view/field-errors";
import { T } from "./sso.texts";

/** The form's fields as typed (checkboxes "on" or ""), to show again with an error; never the client secret. */
export type Typed = Record<(typeof TEXTS)[number] | (typeof CHECKS)[number], string>;

const TEXTS = [
  "name",
  "issuer",
  "clientId",
  "scopes",
  "linkClaim",
  "jit.allowedDomains",
  "jit.requiredClaims",
  "jit.defaultRole",
  "jit.defaultEntityId",
  "jit.defaultLanguage",
  "claimMapping.givenName",
  "claimMapping.familyName",
  "claimMapping.language",
  "claimMapping.entity",
  "claimMapping.groups",
  "requiredGroups",
] as const;
const CHECKS = ["trustEmail", "enabled", "jit.enabled"] as const;

export function typedOf(body: Record<string, unknown>): Typed {
  const out = {} as Typed;
  for (const n of TEXTS) out[n] = textOf(body, n);
  for (const n of CHECKS) out[n] = ticked(body, n) ? "on" : "";
  return out;
}

/** A stored connection as the edit form shows it. */
export function typedFromView(c: ConnectionView): Typed {
  return {
    name: c.name,
    issuer: c.issuer,
    clientId: c.clientId,
    scopes: c.scopes.join(" "),
    linkClaim: c.linkClaim ?? "",
    "jit.allowedDomains": c.jit.allowedDomains.join("\n"),
    "jit.requiredClaims": Object.entries(c.jit.requiredClaims)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    "jit.defaultRole": c.jit.defaultRole,
    "jit.defaultEntityId": c.jit.defaultEntityId ?? "",
    "jit.defaultLanguage": c.jit.defaultLanguage ?? "",
    "claimMapping.givenName": c.claimMapping.givenName,
    "claimMapping.familyName": c.claimMapping.familyName,
    "claimMapping.language": c.claimMapping.language ?? "",
    "claimMapping.entity": c.claimMapping.entity ?? "",
    "claimMapping.groups": c.claimMapping.groups,
    requiredGroups: c.requiredGroups.join("\n"),
    trustEmail: c.trustEmail ? "on" : "",
    enabled: c.enabled ? "on" : "",
    "jit.enabled": c.jit.enabled ? "on" : "",
  };
}

export const blankTyped = (): Typed => ({ ...typedOf({}), enabled: "on", "jit.defaultRole": "member" });

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
const orUndefined = (v: string) => (v.trim() === "" ? undefined : v.trim());

/** The form as the service's input (the PUT body of /admin/v1/sso-connections); the service checks every field. */
export function inputOf(f: Typed, clientSecret: string): ConnectionInput {
  const scopes = f.scopes.split(/\s+/).filter(Boolean);
  const requiredClaims = Object.fromEntries(
    linesOf(f["jit.requiredClaims"]).map((l) => {
      const i = l.indexOf("=");
      return i < 0 ? [l, ""] : [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    }),
  );
  return {
    name: f.name,
    issuer: f.issuer.trim(),
    clientId: f.clientId,
    clientSecret: clientSecret === "" ? undefined : clientSecret,
    scopes: scopes.length ? scopes : undefined,
    linkClaim: orNull(f.linkClaim),
    trustEmail: f.trustEmail === "on",
    jit: {
      enabled: f["jit.enabled"] === "on",
      allowedDomains: linesOf(f["jit.allowedDomains"]),
      requiredClaims,
      defaultRole: f["jit.defaultRole"] || undefined,
      defaultEntityId: orNull(f["jit.defaultEntityId"]),
      defaultLanguage: orNull(f["jit.defaultLanguage"]),
    },
    claimMapping: {
      givenName: orUndefined(f["claimMapping.givenName"]),
      familyName: orUndefined(f["claimMapping.familyName"]),
      language: orNull(f["claimMapping.language"]),
      entity: orNull(f["claimMapping.entity"]),
      groups: orUndefined(f["claimMapping.groups"]),
    },
    requiredGroups: linesOf(f.requiredGroups),
    enabled: f.enabled === "on",
  };
}

export interface ConnectionFormProps {
  lang: "en" | "fr";
  csrf: string;
  action: string;
  typed: Typed;
  err: FieldError | null;
  entities: Entity[];
  /** Editing: the secret is stored ("set"), and left empty it is kept. */
  editing: boolean;
}

/** Every field of a connection; the discovery error (or a refused issuer) is shown beside the issuer. */
export function ConnectionForm(p: ConnectionFormProps) {
  const t = T[p.lang];
  const f = p.typed;
  const text = (name: keyof Typed, label: string, hint?: string) => (
    <Field name={name} label={label} value={f[name]} hint={hint} error={errorFor(p.err, name)} />
  );
  return (
    <form method="post" action={p.action}>
      <CsrfField token={p.csrf} />
      {text("name", t.name)}
      <Field name="issuer" label={t.issuer} type="url" value={f.issuer} required error={errorFor(p.err, "issuer")} />
      {text("clientId", t.clientId)}
      {p.editing ? (
        <p>
          {t.secretState}: <StateBadge on label={t.set} />
        </p>
      ) : null}
      <Field
        name="clientSecret"
        label={t.clientSecret}
        type="password"
        autocomplete="off"
        value=""
        hint={p.editing ? t.secretKeep : t.secretNew}
        error={errorFor(p.err, "clientSecret")}
      />
      {text("scopes", t.scopes, t.scopesHint)}
      {text("linkClaim", t.linkClaim, t.linkClaimHint)}
      <Checkbox name="trustEmail" label={t.trustEmail} checked={f.trustEmail === "on"} />
      <Checkbox name="enabled" label={t.enabled} checked={f.enabled === "on"} />
      <fieldset>
        <legend>{t.jit}</legend>
        <Checkbox name="jit.enabled" label={t.jitEnabled} checked={f["jit.enabled"] === "on"} />
        <TextArea
          rows={3}
          name="jit.allowedDomains"
          label={t.allowedDomains}
          hint={t.linesHint}
          value={f["jit.allowedDomains"]}
          error={errorFor(p.err, "jit.allowedDomains")}
        />
        <TextArea
          rows={3}
          name="jit.requiredClaims"
          label={t.requiredClaims}
          hint={t.requiredClaimsHint}
          value={f["jit.requiredClaims"]}
          error={errorFor(p.err, "jit.requiredClaims")}
        />
        <Select
          name="jit.defaultRole"
          label={t.defaultRole}
          value={f["jit.defaultRole"]}
          options={(["member", "auditor", "admin"] as const).map((r) => ({ value: r, label: t[r] }))}
          error={errorFor(p.err, "jit.defaultRole")}
        />
        <Select
          name="jit.defaultEntityId"
          label={t.defaultEntity}
          value={f["jit.defaultEntityId"]}
          options={[{ value: "", label: t.noEntity }, ...p.entities.map((e) => ({ value: e.id, label: e.name }))]}
          error={errorFor(p.err, "jit.defaultEntityId")}
        />
        {text("jit.defaultLanguage", t.defaultLanguage)}
      </fieldset>
      <fieldset>
        <legend>{t.mapping}</legend>
        {text("claimMapping.givenName", t.givenName)}
        {text("claimMapping.familyName", t.familyName)}
        {text("claimMapping.language", t.language)}
        {text("claimMapping.entity", t.entity)}
        {text("claimMapping.groups", t.groups)}
        <TextArea
          rows={3}
          name="requiredGroups"
          label={t.requiredGroups}
          value={f.requiredGroups}
          error={errorFor(p.err, "requiredGroups")}
        />
      </fieldset>
      <button type="submit">{p.editing ? t.save : t.create}</button>
    </form>
  );
}
