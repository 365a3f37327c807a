import type { TestApp } from "./app";
import { consolePerson, csrfOf, signInToConsole } from "./console";
import type { Browser } from "./oidc-browser";

/** A person signed in to the console: their browser, the session's CSRF token, their id. */
export interface ConsoleUser {
  browser: Browser;
  token: string;
  id: string;
}

/** Forms and pages of the console over real HTTP, for the tests of one running app (`t` at `base`). */
export function consoleForms(app: () => { t: TestApp; base: string }) {
  /** A new admin or auditor (limited to `adminScope` when given), signed in. */
  async function signedIn(role: "admin" | "auditor", adminScope?: string[]): Promise<ConsoleUser> {
    const { t, base } = app();
    const p = await consolePerson(t.ds, role, { adminScope });
    const { browser, body } = await signInToConsole(base, "/console", p.userName);
    return { browser, token: csrfOf(body), id: p.id };
  }

  /** Posts a console form with its CSRF token; repeated fields (arrays) are sent as a browser sends checkboxes. */
  function post(who: ConsoleUser, path: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams({ _csrf: who.token });
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return who.browser.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }

  async function page(who: ConsoleUser, path: string) {
    const res = await who.browser.get(path);
    return { status: res.status, html: await res.text() };
  }

  /** The audit records of `action` about `subject`, oldest first. */
  const auditOf = (action: string, subject: string) =>
    app().t.ds.query(
      "SELECT door, actor_id, changes FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id",
      [action, subject],
    );

  return { signedIn, post, page, auditOf };
}

/** The error shown beside a field (Field/Select render it after the control, tied to it by aria-describedby). */
export const errorBeside = (html: string, field: string) =>
  new RegExp(`id="f-${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(html)?.[1] ?? null;
