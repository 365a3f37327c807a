import type { Response } from "express";
import type { Language } from "../../domain/language";
import { escapeHtml, sendPage } from "../auth/html-page";

const TEXT = {
  en: {
    title: "Sign in",
    login: "Email or username",
    password: "Password",
    submit: "Sign in",
    sso: "Or sign in with your company account",
    signUp: "Create an account",
    ssoOnly: "Sign in with your company account.",
    wrong: "The login or the password is wrong.",
    changeTitle: "Choose your own password",
    changeIntro: "You signed in with a one-time password. Choose your own password to continue.",
    next: "New password",
    again: "The same password again",
    change: "Save and continue",
    differ: "The two passwords are not the same.",
  },
  fr: {
    title: "Connexion",
    login: "E-mail ou identifiant",
    password: "Mot de passe",
    submit: "Se connecter",
    sso: "Ou connectez-vous avec votre compte d'entreprise",
    signUp: "Créer un compte",
    ssoOnly: "Connectez-vous avec votre compte d'entreprise.",
    wrong: "L'identifiant ou le mot de passe est incorrect.",
    changeTitle: "Choisissez votre mot de passe",
    changeIntro: "Vous vous êtes connecté avec un mot de passe à usage unique. Choisissez le vôtre pour continuer.",
    next: "Nouveau mot de passe",
    again: "Le même mot de passe, à nouveau",
    change: "Enregistrer et continuer",
    differ: "Les deux mots de passe ne sont pas identiques.",
  },
} as const;

export type SignInText = keyof (typeof TEXT)["en"];
export const signInText = (language: Language, key: SignInText): string => TEXT[language][key];

export interface SignInView {
  uid: string;
  language: Language;
  passwordAllowed: boolean;
  login?: string;
  /** Already-translated messages shown above the form. */
  problems?: string[];
  ssoButtons: { id: string; label: string; href: string }[];
  signUp: boolean;
  status?: number;
}

const problemsHtml = (problems: string[] = []) =>
  problems.length
    ? `<div class="error" role="alert" id="problems"><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul></div>`
    : "";

const withInteraction = (href: string, uid: string) => {
  const u = new URL(href, "http://x");
  u.searchParams.set("interaction", uid);
  return /^https?:/.test(href) ? u.toString() : `${u.pathname}${u.search}`;
};

/** The sign-in page: the password form (inputs `login` and `password`), one button per SSO connection, sign-up. */
export function sendSignInPage(res: Response, v: SignInView): void {
  const t = TEXT[v.language];
  const described = v.problems?.length ? ' aria-describedby="problems"' : "";
  const form = v.passwordAllowed
    ? `<form method="post" action="/auth/sign-in/${escapeHtml(v.uid)}?lang=${v.language}" novalidate>
<label for="login">${t.login}</label>
<input id="login" name="login" type="text" autocomplete="username" required value="${escapeHtml(v.login ?? "")}"${described}>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}>
<button type="submit">${t.submit}</button>
</form>`
    : `<p>${t.ssoOnly}</p>`;
  const sso = v.ssoButtons.length
    ? `<h2>${t.sso}</h2><ul class="sso">${v.ssoButtons
        .map(
          (b) =>
            `<li><a class="button secondary" href="${escapeHtml(withInteraction(b.href, v.uid))}">${escapeHtml(b.label)}</a></li>`,
        )
        .join("")}</ul>`
    : "";
  const signUp = v.signUp
    ? `<p><a href="/auth/sign-up?interaction=${encodeURIComponent(v.uid)}&amp;lang=${v.language}">${t.signUp}</a></p>`
    : "";
  sendPage(res, {
    language: v.language,
    title: t.title,
    status: v.status,
    body: `${problemsHtml(v.problems)}${form}${sso}${signUp}`,
    selfUrl: `/auth/sign-in/${v.uid}`,
  });
}

/** The change of a one-time password, before the sign-in finishes. */
export function sendChangePasswordPage(
  res: Response,
  v: { uid: string; language: Language; problems?: string[]; status?: number },
): void {
  const t = TEXT[v.language];
  sendPage(res, {
    language: v.language,
    title: t.changeTitle,
    status: v.status,
    body: `${problemsHtml(v.problems)}<p>${t.changeIntro}</p>
<form method="post" action="/auth/sign-in/${escapeHtml(v.uid)}/password?lang=${v.language}" novalidate>
<label for="newPassword">${t.next}</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required>
<label for="confirmPassword">${t.again}</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required>
<button type="submit">${t.change}</button>
</form>`,
    selfUrl: `/auth/sign-in/${v.uid}`,
  });
}
