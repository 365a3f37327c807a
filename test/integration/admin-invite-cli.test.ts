import type { Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { TestApp } from "../support/app";
import { inviteAdminWithCli } from "../support/admin-invite";
import { workerDatabaseUrl } from "../support/database";
import {
  Browser,
  type OidcConfiguration,
  PASSWORD,
  REDIRECT_URI,
  exchange,
  passwordSignIn,
  platformClient,
  seedPasswordPerson,
  startProviderApp,
} from "../support/oidc-browser";
import { seedEntity, seedPerson } from "../support/people";

jest.setTimeout(120_000);

let t: TestApp;
let base: string;
let server: Server;
let config: OidcConfiguration;
let env: Record<string, string>;
const NEW_PASSWORD = "another horse battery staple 77";

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  const c = await t.services.oidcClients.create(
    { actor: { type: "system", id: null, name: "test" }, door: "cli", requestId: null },
    { name: "platform", redirectUris: [REDIRECT_URI] },
  );
  config = await platformClient(base, c.clientId, c.clientSecret);
  // the server above runs on this database while the CLI writes to it
  env = { DATABASE_URL: await workerDatabaseUrl(), PUBLIC_BASE_URL: base, LOG_LEVEL: "silent" };
});
afterAll(async () => {
  server.close();
  await t.close();
});

const fresh = () => `boss.${randomBytes(4).toString("hex")}@corp.test`;
const row = async (id: string) =>
  (
    await t.ds.query(
      "SELECT user_name, given_name, family_name, system_role, admin_scope, source, enrolled_at FROM users WHERE id = $1",
      [id],
    )
  )[0];
const idOf = async (email: string) =>
  (
    await t.ds.query("SELECT id FROM users WHERE lower(user_name) = lower($1) OR emails @> $2::jsonb", [
      email,
      JSON.stringify([{ value: email }]),
    ])
  )[0]?.id as string | undefined;

/** Opens the link as a browser does and submits the form; the page that answers. */
async function setPassword(link: string, fields: Record<string, string>) {
  const browser = new Browser(base);
  const path = new URL(link).pathname;
  const form = await browser.request(path, { headers: { accept: "text/html" } });
  const page = await form.text();
  const done = await browser.post(path, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD, ...fields });
  return { form: form.status, page, status: done.status, body: await done.text() };
}

async function signsIn(login: string, password: string) {
  const { left, req } = await passwordSignIn(config, base, login, password);
  if (!left?.href.startsWith(REDIRECT_URI)) return null;
  return (await exchange(config, left, req)).claims()?.sub ?? null;
}

describe("npx roster admin invite EMAIL", () => {
  it("creates the first admin, prints one link that sets the password, and the admin signs in at the provider", async () => {
    const email = fresh();
    const r = inviteAdminWithCli(email, env);
    expect(r.stderr).toContain("created as admin");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${base}/auth/invitations/[A-Za-z0-9_-]{20,}\\n$`));
    const id = (await idOf(email))!;
    expect(await row(id)).toMatchObject({
      user_name: email,
      given_name: null,
      family_name: null,
      system_role: "admin",
      admin_scope: [],
      source: "admin",
      enrolled_at: null,
    });
    const audits = await t.ds.query("SELECT action, door FROM audit_events WHERE target_id = $1::text ORDER BY id", [
      id,
    ]);
    expect(audits).toEqual([
      { action: "user.created", door: "cli" },
      { action: "user.invited", door: "cli" },
    ]);

    // names are asked at joining, as for a pasted address
    const joined = await setPassword(r.link!, { givenName: "Grace", familyName: "Hopper" });
    expect(joined.form).toBe(200);
    expect(joined.page).toContain('name="givenName"');
    expect(joined.status).toBe(200);
    expect(joined.body).toContain("Your password is set");
    expect(await row(id)).toMatchObject({ given_name: "Grace", family_name: "Hopper" });
    expect(await signsIn(email, NEW_PASSWORD)).toBe(id);
    // one use
    const again = await new Browser(base).request(new URL(r.link!).pathname);
    expect(again.status).toBe(410);
  });

  it("run twice: a fresh link each time, the earlier one replaced", async () => {
    const email = fresh();
    const first = inviteAdminWithCli(email, env);
    const second = inviteAdminWithCli(email, env);
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(second.stderr).toContain("already an admin");
    expect(second.token).not.toBe(first.token);
    const old = await new Browser(base).request(`/auth/invitations/${first.token}`);
    expect(old.status).toBe(410);
    expect(((await old.json()) as { code: string }).code).toBe("invitation_replaced");
    const now = await new Browser(base).request(`/auth/invitations/${second.token}`);
    expect(now.status).toBe(200);
    expect(await now.json()).toMatchObject({ purpose: "set_password", namesNeeded: true });
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM users WHERE lower(user_name) = lower($1)", [
      email,
    ]);
    expect(n).toBe(1);
  });

  it("promotes a person who joined long ago; the link sets a new password without joining again", async () => {
    const p = await seedPasswordPerson(t.ds);
    const entity = await seedEntity(t.ds, "Sales");
    await t.ds.query(
      "UPDATE users SET system_role = 'admin', admin_scope = $2::uuid[], enrolled_at = $3 WHERE id = $1",
      [p.id, [entity], new Date("2025-01-02T03:04:05Z")],
    );
    const r = inviteAdminWithCli(p.email.toUpperCase(), env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("promoted to admin");
    expect(await row(p.id)).toMatchObject({ system_role: "admin", admin_scope: [] });

    const set = await setPassword(r.link!, {});
    expect(set.page).toContain("Set your password");
    expect(set.page).not.toContain('name="givenName"');
    expect(set.body).toContain("Your password is set");
    expect((await row(p.id)).enrolled_at.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    expect(await signsIn(p.userName, PASSWORD)).toBeNull();
    expect(await signsIn(p.userName, NEW_PASSWORD)).toBe(p.id);
    const [audit] = await t.ds.query(
      "SELECT action, door FROM audit_events WHERE target_id = $1::text AND action LIKE 'user.password%'",
      [p.id],
    );
    expect(audit).toEqual({ action: "user.password_set", door: "auth" });
  });

  it("refuses a deactivated person (exit 1, a clear line, nothing changed) and an address that is none", async () => {
    const p = await seedPerson(t.ds, { active: false });
    const r = inviteAdminWithCli(p.userName, env);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^roster: .* is deactivated: activate the account first/);
    expect((await row(p.id)).system_role).toBe("member");
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1", [p.id]);
    expect(n).toBe(0);

    const bad = inviteAdminWithCli("not-an-address", env);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toBe("roster: email: 'not-an-address' is not an email address\n");
  });
});
