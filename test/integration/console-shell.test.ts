import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { Browser, startProviderApp } from "../support/oidc-browser";

let t: TestApp;
let base: string;
let server: Server;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
});
afterAll(async () => {
  server.close();
  await t.close();
});

const personWithRole = (role: "admin" | "auditor" | "member") => consolePerson(t.ds, role);
const signInTo = (path: string, login: string) => signInToConsole(base, path, login);

describe("the console signs admins in through Roster's own provider", () => {
  it("asks to sign in, then comes back to the page asked for with a session", async () => {
    const browser = new Browser(base);
    const res = await browser.get("/console?from=test");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/sign-in?returnTo=${encodeURIComponent("/console?from=test")}`);

    const admin = await personWithRole("admin");
    const { res: home, body } = await signInTo("/console?from=test", admin.userName);
    expect(home.status).toBe(200);
    expect(home.url).toBe(`${base}/console?from=test`);
    expect(body).toContain(admin.userName);
    expect(body).toContain("users:write");
    const csp = home.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
    expect(home.headers.get("cache-control")).toBe("no-store");

    const [audit] = await t.ds.query(
      "SELECT door, actor_id FROM audit_events WHERE action = 'console.session_started' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toEqual({ door: "console", actor_id: admin.id });
    const [client] = await t.ds.query("SELECT redirect_uris FROM oidc_clients WHERE client_id = 'roster-console'");
    expect(client.redirect_uris).toEqual([`${base}/console/callback`]);
  });

  it("refuses a person who is neither admin nor auditor, with a code", async () => {
    const member = await personWithRole("member");
    const { res, body } = await signInTo("/console", member.email);
    expect(res.status).toBe(403);
    expect(body).toContain("not_an_admin");
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM console_sessions WHERE user_id = $1", [member.id]);
    expect(n).toBe(0);
  });

  it("refuses a form without its CSRF token or from another site, and signs out with it", async () => {
    const admin = await personWithRole("admin");
    const { browser, body } = await signInTo("/console", admin.userName);
    const token = csrfOf(body);
    expect(token).toHaveLength(43);

    const bare = await browser.post("/console/sign-out", {});
    expect(bare.status).toBe(403);
    const wrong = await browser.post("/console/sign-out", { _csrf: `${token.slice(0, -1)}x` });
    expect(wrong.status).toBe(403);
    const crossSite = await browser.request("/console/sign-out", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ _csrf: token }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect((await browser.get("/console")).status).toBe(200);

    const out = await browser.post("/console/sign-out", { _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toMatch(/\/oidc\/session\/end\?/);
    expect((await browser.get("/console")).status).toBe(303);
  });

  it("keeps auditors read-only and bites at once when a role is taken away", async () => {
    const auditor = await personWithRole("auditor");
    const { browser, body } = await signInTo("/console", auditor.userName);
    expect(body).toContain("audit:read");
    expect(body).not.toContain('href="/console/people/new"');
    const write = await browser.post("/console/anything", { _csrf: csrfOf(body) });
    expect(write.status).toBe(403);

    await t.ds.query("UPDATE users SET system_role = 'member' WHERE id = $1", [auditor.id]);
    const after = await browser.get("/console");
    expect(after.status).toBe(403);
    expect(await after.text()).toContain("not_an_admin");
  });

  it("ends a session left idle longer than CONSOLE_SESSION_IDLE_MINUTES", async () => {
    const admin = await personWithRole("admin");
    const { browser } = await signInTo("/console", admin.userName);
    expect((await browser.get("/console")).status).toBe(200);
    await t.ds.query("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1", [
      admin.id,
    ]);
    const res = await browser.get("/console");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/console\/sign-in/);
  });

  it("refuses a callback without the pending login, and a return address outside the console", async () => {
    const browser = new Browser(base);
    const res = await browser.get("/console/callback?code=x&state=y");
    expect(res.status).toBe(400);
    const start = await browser.get("/console/sign-in?returnTo=https://evil.example/");
    expect(start.status).toBe(303);
    expect(new URL(start.headers.get("location")!).pathname).toBe("/oidc/auth");
  });

  it("serves its script and stylesheet from Roster and answers 404 inside the console", async () => {
    const browser = new Browser(base);
    const js = await browser.get("/console/assets/htmx.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    const admin = await personWithRole("admin");
    const { browser: signedIn } = await signInTo("/console", admin.userName);
    const missing = await signedIn.get("/console/no-such-page");
    expect(missing.status).toBe(404);
  });
});
