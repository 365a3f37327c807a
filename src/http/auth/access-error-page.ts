import type { Request, Response } from "express";
import type { AccessErrorCode, AccessRefusedError } from "../../domain/auth/access-errors";
import type { Language } from "../../domain/language";
import { escapeHtml, pageLanguage, sendPage } from "./html-page";

/**
 * The access-error page: why someone cannot come in, as a stable code they can read out, a reference id support finds
 * in the sign-in events (GET /admin/v1/sign-in-events), the time, and what to tell their admin. The code is shown as
 * text, so outside checks and people alike can read it.
 */

const STATUS: Record<AccessErrorCode, number> = {
  user_deactivated: 403,
  user_unknown: 403,
  jit_disabled: 403,
  domain_not_allowed: 403,
  claim_missing: 403,
  group_not_allowed: 403,
  email_unverified: 403,
  account_conflict: 403,
  sso_only: 403,
  signup_disabled: 403,
  idp_error: 502,
  login_expired: 400,
};

type Advice = Record<AccessErrorCode, string>;

const ADVICE: Record<Language, Advice> = {
  en: {
    user_deactivated: "Your account is deactivated. Ask your administrator to reactivate it.",
    user_unknown: "No account matches this sign-in. Ask your administrator to create your account or invite you.",
    jit_disabled:
      "Accounts are not created automatically for this company sign-in. Ask your administrator to create your account.",
    domain_not_allowed:
      "Your email domain is not allowed for this company sign-in. Ask your administrator to add your domain.",
    claim_missing:
      "Your company account lacks information this sign-in requires. Ask your administrator which attribute is missing.",
    group_not_allowed:
      "Your company account is not in a group allowed here. Ask your administrator to add you to an allowed group.",
    email_unverified:
      "Your company sign-in did not confirm your email address. Ask your administrator to verify it at the identity provider.",
    account_conflict:
      "Your company account matches another person's account. Ask your administrator to link the right account.",
    sso_only: "Password sign-in is turned off: use your company sign-in button instead.",
    signup_disabled: "Creating an account yourself is turned off. Ask your administrator for an invitation.",
    idp_error:
      "Your company sign-in did not answer correctly. Try again later; if it persists, tell your administrator.",
    login_expired: "This sign-in took too long or was already used. Go back to the application and start again.",
  },
  fr: {
    user_deactivated: "Votre compte est désactivé. Demandez à votre administrateur de le réactiver.",
    user_unknown:
      "Aucun compte ne correspond à cette connexion. Demandez à votre administrateur de créer votre compte ou de vous inviter.",
    jit_disabled:
      "Les comptes ne sont pas créés automatiquement pour cette connexion d'entreprise. Demandez à votre administrateur de créer votre compte.",
    domain_not_allowed:
      "Le domaine de votre adresse n'est pas autorisé pour cette connexion d'entreprise. Demandez à votre administrateur de l'ajouter.",
    claim_missing:
      "Votre compte d'entreprise ne fournit pas une information requise. Demandez à votre administrateur laquelle manque.",
    group_not_allowed:
      "Votre compte d'entreprise n'appartient à aucun groupe autorisé ici. Demandez à votre administrateur de vous y ajouter.",
    email_unverified:
      "Votre connexion d'entreprise n'a pas confirmé votre adresse e-mail. Demandez à votre administrateur de la faire vérifier.",
    account_conflict:
      "Votre compte d'entreprise correspond au compte d'une autre personne. Demandez à votre administrateur de relier le bon compte.",
    sso_only: "La connexion par mot de passe est désactivée : utilisez le bouton de connexion de votre entreprise.",
    signup_disabled: "La création de compte libre est désactivée. Demandez une invitation à votre administrateur.",
    idp_error:
      "La connexion de votre entreprise n'a pas répondu correctement. Réessayez plus tard ; si cela persiste, prévenez votre administrateur.",
    login_expired: "Cette connexion a pris trop de temps ou a déjà servi. Revenez à l'application et recommencez.",
  },
};

const TEXT = {
  en: {
    title: "You cannot sign in",
    code: "Error code",
    reference: "Reference",
    time: "Time (UTC)",
    tell: "What to tell your administrator",
    quote: "Give them the error code and the reference above.",
  },
  fr: {
    title: "Connexion impossible",
    code: "Code d'erreur",
    reference: "Référence",
    time: "Heure (UTC)",
    tell: "Ce qu'il faut dire à votre administrateur",
    quote: "Donnez-lui le code d'erreur et la référence ci-dessus.",
  },
} as const;

/** The HTTP status of a refusal's page: 403 mostly, 502 when the company IdP failed, 400 for an expired sign-in. */
export const accessErrorStatus = (code: AccessErrorCode): number => STATUS[code];

/**
 * Renders the access-error page for `err`. `reference` is the one written in the refusal's audit record
 * (recordSignInIn), so what the person reads out finds it.
 */
export function sendAccessError(
  req: Request,
  res: Response,
  err: AccessRefusedError,
  reference: string,
  at: Date = new Date(),
): void {
  const language = pageLanguage(req, "en");
  const t = TEXT[language];
  const time = at.toISOString().replace("T", " ").slice(0, 19);
  sendPage(res, {
    language,
    title: t.title,
    status: STATUS[err.code],
    body: `<p class="error" role="alert">${escapeHtml(ADVICE[language][err.code])}</p>
<dl>
<dt>${t.code}</dt><dd><code id="access-error-code">${escapeHtml(err.code)}</code></dd>
<dt>${t.reference}</dt><dd><code id="access-error-reference">${escapeHtml(reference)}</code></dd>
<dt>${t.time}</dt><dd><time datetime="${escapeHtml(at.toISOString())}">${escapeHtml(time)}</time></dd>
</dl>
<h2>${t.tell}</h2>
<p>${t.quote}</p>`,
  });
}
