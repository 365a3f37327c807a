import type { PersonView } from "../../../domain/people/person";
import type { Language } from "../../../domain/language";
import { type Texts, formatInstant } from "../i18n";
import { CsrfField, Field } from "../view/components";

const T: Texts<
  | "title"
  | "edit"
  | "deactivate"
  | "activate"
  | "invitation"
  | "invite"
  | "resend"
  | "joined"
  | "inactiveInvite"
  | "ssoOnly"
  | "otpTitle"
  | "otpLabel"
  | "otpHint"
  | "otpButton"
  | "inactiveOtp"
> = {
  en: {
    title: "Actions",
    edit: "Edit",
    deactivate: "Deactivate",
    activate: "Activate",
    invitation: "Invitation",
    invite: "✉ Send the invitation",
    resend: "✉ Resend the invitation",
    joined: "Already joined on {at}: an invitation cannot be sent again.",
    inactiveInvite: "Deactivated: activate the account before inviting them.",
    ssoOnly: "People sign in with company SSO here (SSO_ONLY): no invitation or password to set.",
    otpTitle: "One-time password",
    otpLabel: "Password to give them",
    otpHint: "Leave empty to have one generated, shown to you once. They must change it at their first sign-in.",
    otpButton: "Set the one-time password",
    inactiveOtp: "Deactivated: activate the account before setting a password.",
  },
  fr: {
    title: "Actions",
    edit: "Modifier",
    deactivate: "Désactiver",
    activate: "Activer",
    invitation: "Invitation",
    invite: "✉ Envoyer l'invitation",
    resend: "✉ Renvoyer l'invitation",
    joined: "Déjà inscrit le {at} : l'invitation ne peut plus être envoyée.",
    inactiveInvite: "Désactivé : activez le compte avant de l'inviter.",
    ssoOnly: "On se connecte ici par le SSO de l'entreprise (SSO_ONLY) : ni invitation ni mot de passe.",
    otpTitle: "Mot de passe à usage unique",
    otpLabel: "Mot de passe à lui donner",
    otpHint: "Laissez vide pour en générer un, affiché une seule fois. Il devra le changer à sa première connexion.",
    otpButton: "Définir le mot de passe à usage unique",
    inactiveOtp: "Désactivé : activez le compte avant de définir un mot de passe.",
  },
};

/** Errors of an action, shown beside its control: the invitation's refusal, the password's policy. */
export interface ActionErrors {
  invite?: string;
  password?: string;
}

/** What an admin can do to the person (auditors never get this panel): each a form posting back to the console. */
export function PersonActions(p: {
  view: PersonView;
  lang: Language;
  csrf: string;
  ssoOnly: boolean;
  errors: ActionErrors;
}) {
  const t = T[p.lang];
  const u = p.view.user;
  const base = `/console/people/${u.id}`;
  return (
    <section aria-labelledby="actions">
      <h2 id="actions">{t.title}</h2>
      {/* a div, not a p: a form inside a paragraph is invalid HTML (the browser closes the paragraph) */}
      <div class="actions">
        <a class="button secondary" href={`${base}/edit`}>
          {t.edit}
        </a>{" "}
        <form method="post" action={`${base}/${u.active ? "deactivate" : "activate"}`} class="inline">
          <CsrfField token={p.csrf} />
          <button type="submit" class={u.active ? "danger" : undefined}>
            {u.active ? t.deactivate : t.activate}
          </button>
        </form>
      </div>
      <h3>{t.invitation}</h3>
      {p.errors.invite ? (
        <p class="field-error" id="invite-error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {p.errors.invite}
        </p>
      ) : null}
      {p.ssoOnly ? (
        <p>{t.ssoOnly}</p>
      ) : u.lifecycle.enrolledAt ? (
        <p>{t.joined.replace("{at}", formatInstant(p.lang, u.lifecycle.enrolledAt))}</p>
      ) : !u.active ? (
        <p>{t.inactiveInvite}</p>
      ) : (
        <form method="post" action={`${base}/invitation`}>
          <CsrfField token={p.csrf} />
          <button type="submit">{u.lifecycle.invitedAt ? t.resend : t.invite}</button>
        </form>
      )}
      {p.ssoOnly ? null : (
        <>
          <h3>{t.otpTitle}</h3>
          {u.active ? (
            <form method="post" action={`${base}/one-time-password`}>
              <CsrfField token={p.csrf} />
              <Field
                name="password"
                type="password"
                label={t.otpLabel}
                hint={t.otpHint}
                error={p.errors.password}
                autocomplete="new-password"
              />
              <button type="submit">{t.otpButton}</button>
            </form>
          ) : (
            <p>{t.inactiveOtp}</p>
          )}
        </>
      )}
    </section>
  );
}
