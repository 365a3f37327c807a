import escapeHtml from "escape-html";
import type { Request, Response } from "express";
import type { LinkInfo } from "../../domain/auth/enrolment.service";
import type { Language } from "../../domain/language";
import type { Problem } from "../shared/problem";
import { setRetryAfterOn503 } from "../shared/retry-after";

/**
 * A minimal page behind the invitation link, for a browser (it asks for text/html; scripts ask for JSON and get it):
 * the form that sets the password, posted back to the same URL as a plain form, so the flow works on a laptop
 * without the platform's own page. In the person's language; no script; every value inserted is escaped.
 */
export const wantsHtml = (req: Request) => req.accepts(["application/json", "text/html"]) === "text/html";

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const e = escapeHtml;

const TEXTS = {
  en: {
    title: (platform: string) => `Join ${platform}`,
    resetTitle: "Set your password",
    reset: (platform: string) => `hoose a new password for ${platform}.`,
    hello: (name: string | null) => (name ? `Hello ${name}, c` : "C"),
    choose: (where: string, platform: string) => `hoose a password to join${where} ${platform}.`,
    space: (space: string) => ` the space “${space}” on`,
    expires: (when: string) => `This link expires on ${when}.`,
    password: "Password",
    again: "The same password again",
    givenName: "First name",
    familyName: "Last name",
    submit: "Set my password",
    differ: "The two passwords are not the same.",
    joined: "Your password is set",
    signIn: (platform: string, userName: string) =>
      `You can now sign in to ${platform} as <strong>${userName}</strong>.`,
    unusable: "This link cannot be used",
    failed: "Something went wrong",
  },
  fr: {
    title: (platform: string) => `Rejoindre ${platform}`,
    resetTitle: "Choisir votre mot de passe",
    reset: (platform: string) => `hoisissez un nouveau mot de passe pour ${platform}.`,
    hello: (name: string | null) => (name ? `Bonjour ${name}, c` : "C"),
    choose: (where: string, platform: string) => `hoisissez un mot de passe pour rejoindre${where} ${platform}.`,
    space: (space: string) => ` l'espace « ${space} » sur`,
    expires: (when: string) => `Ce lien expire le ${when}.`,
    password: "Mot de passe",
    again: "Le même mot de passe, à nouveau",
    givenName: "Prénom",
    familyName: "Nom",
    submit: "Choisir mon mot de passe",
    differ: "Les deux mots de passe ne sont pas identiques.",
    joined: "Votre mot de passe est enregistré",
    signIn: (platform: string, userName: string) =>
      `Vous pouvez maintenant vous connecter à ${platform} en tant que <strong>${userName}</strong>.`,
    unusable: "Ce lien ne peut pas être utilisé",
    failed: "Une erreur est survenue",
  },
} as const;

function send(res: Response, language: Language, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Content-Language": language })
    .type("html")
    .send(`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto; line-height: 1.5; color: #222;">
<h1 style="font-size: 1.4rem;">${e(title)}</h1>
${body}
</body></html>`);
}

/**
 * The form: the person's names when they were created without (a pasted address, an import), the login for password
 * managers, the password twice, and what was wrong with the last try (names typed are kept).
 */
export function formPage(
  res: Response,
  info: LinkInfo,
  problems: string[] = [],
  status = 200,
  typed: { givenName?: string; familyName?: string } = {},
): void {
  const t = TEXTS[info.language];
  const errors = problems.length
    ? `<ul style="color: #a40000;">${problems.map((p) => `<li>${e(p)}</li>`).join("")}</ul>`
    : "";
  const where = info.space ? t.space(e(info.space)) : "";
  const when = new Intl.DateTimeFormat(info.language, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(info.expiresAt);
  send(
    res,
    info.language,
    status,
    info.joined ? t.resetTitle : t.title(info.platform),
    // someone who joined already came with a set-password link (decision 0143): no "join" wording for them
    `<p>${t.hello(info.givenName && e(info.givenName))}${info.joined ? t.reset(e(info.platform)) : t.choose(where, e(info.platform))}
${e(t.expires(`${when} UTC`))}</p>
${errors}
<form method="post">
${
  info.namesNeeded
    ? `<p><label>${e(t.givenName)}<br><input type="text" name="givenName" value="${e(typed.givenName ?? "")}" autocomplete="given-name" required></label></p>
<p><label>${e(t.familyName)}<br><input type="text" name="familyName" value="${e(typed.familyName ?? "")}" autocomplete="family-name" required></label></p>`
    : ""
}
<input type="text" name="username" value="${e(info.userName)}" autocomplete="username" readonly hidden>
<p><label>${e(t.password)}<br><input type="password" name="password" autocomplete="new-password" required></label></p>
<p><label>${e(t.again)}<br><input type="password" name="confirmation" autocomplete="new-password" required></label></p>
<p><button type="submit">${e(t.submit)}</button></p>
</form>`,
  );
}

export const differPage = (res: Response, info: LinkInfo, typed: { givenName?: string; familyName?: string } = {}) =>
  formPage(res, info, [TEXTS[info.language].differ], 400, typed);

export function joinedPage(res: Response, info: LinkInfo, userName: string): void {
  const t = TEXTS[info.language];
  send(res, info.language, 200, t.joined, `<p>${t.signIn(e(info.platform), e(userName))}</p>`);
}

/** A link that cannot be used (or a failure): the same status and words as the JSON answer (whose language we may not know). */
export function problemPage(res: Response, p: Problem, language: Language = "en"): void {
  const t = TEXTS[language];
  setRetryAfterOn503(res, p.status);
  send(res, language, p.status, p.status >= 500 ? t.failed : t.unusable, `<p>${e(p.detail)}</p>`);
}
