import escapeHtml from "escape-html";
import { Request, Response } from "express";
import { LinkInfo } from "../../domain/auth/enrolment.service";
import { Problem } from "../admin/problem";

/**
 * A minimal page behind the invitation link, for a browser (it asks for text/html; scripts ask for JSON and get it):
 * the form that sets the password, posted back to the same URL as a plain form, so the flow works on a laptop
 * without the platform's own page. No script; every value inserted is escaped.
 */
export const wantsHtml = (req: Request) => req.accepts(["application/json", "text/html"]) === "text/html";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const e = escapeHtml;

function send(res: Response, status: number, title: string, body: string): void {
  res.status(status).set({ "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff" }).type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto; line-height: 1.5; color: #222;">
<h1 style="font-size: 1.4rem;">${e(title)}</h1>
${body}
</body></html>`);
}

/** The form: the person's login for password managers, the password twice, and what was wrong with the last try. */
export function formPage(res: Response, info: LinkInfo, problems: string[] = [], status = 200): void {
  const errors = problems.length ? `<ul style="color: #a40000;">${problems.map((p) => `<li>${e(p)}</li>`).join("")}</ul>` : "";
  const where = info.space ? ` the space “${e(info.space)}” on` : "";
  send(res, status, `Join ${info.platform}`, `<p>${info.givenName ? `Hello ${e(info.givenName)}, c` : "C"}hoose a password to join${where} ${e(info.platform)}.
This link expires on ${e(info.expiresAt.toUTCString())}.</p>
${errors}
<form method="post">
<input type="text" name="username" value="${e(info.userName)}" autocomplete="username" readonly hidden>
<p><label>Password<br><input type="password" name="password" autocomplete="new-password" required></label></p>
<p><label>The same password again<br><input type="password" name="confirmation" autocomplete="new-password" required></label></p>
<p><button type="submit">Set my password</button></p>
</form>`);
}

export function joinedPage(res: Response, userName: string, platform: string): void {
  send(res, 200, "Your password is set", `<p>You can now sign in to ${e(platform)} as <strong>${e(userName)}</strong>.</p>`);
}

/** A link that cannot be used (or a failure): the same status and words as the JSON answer. */
export function problemPage(res: Response, p: Problem): void {
  send(res, p.status, p.status >= 500 ? "Something went wrong" : "This link cannot be used", `<p>${e(p.detail)}</p>`);
}
