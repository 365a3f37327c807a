// The settings adding one person and adding several share: language, role, entity, external, groups, invite now or later.
import type { BatchSettings } from "../../../domain/people/people-batch";
import type { Language } from "../../../domain/language";
import type { Texts } from "../i18n";
import { Field, Select } from "../view/components";
import { Checkbox, type Choice, ChoiceGroup } from "../view/form-controls";
import { valuesOf as listOf } from "../view/form-values";
import { type FormBody, roleChoices, roleOf, textOf } from "./person-form-input";
import { LABELS } from "./person-texts";

export interface SettingsValues {
  language: string;
  role: string;
  entityId: string;
  external: boolean;
  groups: string[];
  invite: "now" | "later";
}

export const DEFAULT_SETTINGS: SettingsValues = {
  language: "",
  role: "member",
  entityId: "",
  external: false,
  groups: [],
  invite: "later",
};

/** The settings as typed, to show again with an error. */
export const settingsValuesOf = (body: FormBody): SettingsValues => ({
  language: textOf(body, "language") ?? "",
  role: textOf(body, "role") ?? "member",
  entityId: textOf(body, "entityId") ?? "",
  external: body.external === "on",
  groups: listOf(body, "groups"),
  invite: textOf(body, "invite") === "now" ? "now" : "later",
});

/** The settings as the people use cases take them (the API's NewPerson and batch settings). */
export const settingsOf = (body: FormBody, v: SettingsValues): BatchSettings => ({
  language: v.language.trim() === "" ? null : v.language.trim(),
  role: roleOf(body) ?? "member",
  entityId: v.entityId || null,
  external: v.external,
  groups: v.groups,
  invite: v.invite === "now",
});

const T: Texts<"languageHint" | "external" | "none" | "more" | "invite" | "now" | "later"> = {
  en: {
    languageHint: "A language tag such as fr or en-GB; empty: automatic.",
    external: "External (not an employee)",
    none: "None",
    more: "Only the first groups by name are listed here; add people to other groups from the group's page.",
    invite: "Invitation",
    now: "Invite now (the message leaves in a moment)",
    later: "Invite later",
  },
  fr: {
    languageHint: "Un code de langue comme fr ou en-GB ; vide : automatique.",
    external: "Externe (pas un salarié)",
    none: "Aucune",
    more: "Seuls les premiers groupes par nom sont listés ici ; ajoutez des personnes aux autres depuis la page du groupe.",
    invite: "Invitation",
    now: "Inviter maintenant (le message part dans un instant)",
    later: "Inviter plus tard",
  },
};

export function SettingsFields(p: {
  lang: Language;
  values: SettingsValues;
  errors: Record<string, string>;
  entities: Choice[];
  groups: { choices: Choice[]; more: boolean };
  ssoOnly: boolean;
}) {
  const t = T[p.lang];
  const l = LABELS[p.lang];
  return (
    <>
      <Field
        name="language"
        label={l.language}
        value={p.values.language}
        hint={t.languageHint}
        error={p.errors.language}
      />
      <Select name="role" label={l.role} options={roleChoices(p.lang)} value={p.values.role} error={p.errors.role} />
      <Select
        name="entityId"
        label={l.entity}
        options={p.entities}
        value={p.values.entityId}
        error={p.errors.entityId ?? p.errors.adminScope}
      />
      <Checkbox name="external" label={t.external} checked={p.values.external} />
      {p.groups.choices.length > 0 ? (
        <ChoiceGroup
          name="groups"
          legend={l.groups}
          kind="checkbox"
          choices={p.groups.choices}
          selected={p.values.groups}
          hint={p.groups.more ? t.more : undefined}
          error={p.errors.groups}
        />
      ) : null}
      {p.ssoOnly ? null : (
        <ChoiceGroup
          name="invite"
          legend={t.invite}
          kind="radio"
          choices={[
            { value: "now", label: t.now },
            { value: "later", label: t.later },
          ]}
          selected={[p.values.invite]}
          error={p.errors.invite}
        />
      )}
    </>
  );
}
