import type { DataSource } from "typeorm";
import { Browser, PASSWORD, seedPasswordPerson } from "./oidc-browser";

/** A person with PASSWORD and a console role (and optionally an admin scope of entity ids). */
export async function consolePerson(
  ds: DataSource,
  role: "admin" | "auditor" | "member",
  opts: { adminScope?: string[] } = {},
) {
  const p = await seedPasswordPerson(ds);
  await ds.query("UPDATE users SET system_role = $2, admin_scope = $3::uuid[] WHERE id = $1", [
    p.id,
    role,
    opts.adminScope ?? [],
  ]);
  return p;
}

/**
 * Opens `path` of the console in a fresh cookie-jar browser (real HTTP, no JavaScript) and signs in on Roster's
 * provider page when asked: the browser (signed in), the page it ended on and its HTML.
 */
export async function signInToConsole(base: string, path: string, login: string, password = PASSWORD) {
  const browser = new Browser(base);
  const first = await browser.follow(await browser.get(path));
  const page = await first.res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, "&");
  if (!action) throw new Error(`no sign-in form: ${first.res.status} ${page.slice(0, 300)}`);
  const { res } = await browser.follow(await browser.post(action, { login, password }));
  return { browser, res, body: await res.text() };
}

/** The CSRF token of a console page's forms. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
