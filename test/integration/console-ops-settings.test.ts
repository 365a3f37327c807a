import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";

// The console's settings and company SSO pages over real HTTP, on the real services and PostgreSQL.
let t: TestApp;
let base: string;
let server: Server;
let browser: Browser;
let csrf: string;
let adminId: string;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  const person = await consolePerson(t.ds, "admin");
  adminId = person.id;
  const signedIn = await signInToConsole(base, "/console/settings", person.userName);
  browser = signedIn.browser;
  csrf = csrfOf(signedIn.body);
});
afterAll(async () => {
  server.close();
  await t.close();
});

const post = (path: string, form: Record<string, string>) => browser.post(path, { _csrf: csrf, ...form });
const setting = async (key: string) =>
  (await t.ds.query("SELECT value, version FROM settings WHERE key = $1", [key]))[0];
const lastAudit = async (action: string) =>
  (
    await t.ds.query(
      `SELECT door, actor_id AS "actorId", target_id AS "targetId", changes FROM audit_events
        WHERE action = $1 ORDER BY id DESC LIMIT 1`,
      [action],
    )
  )[0];

describe("console: settings", () => {
  it("saves the communication setting from its checkboxes, audited with door console", async () => {
    const page = await (await browser.get("/console/settings")).text();
    expect(page).toContain('action="/console/settings/communication"');
    const res = await post("/console/settings/communication", {
      version: "0",
      "autoInvite.scim": "on",
      "channels.email": "on",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/settings?done=communication");
    expect((await setting("communication")).value).toEqual({
      autoInvite: { scim: true, csv: false },
      channels: { email: true, sms: false },
    });
    expect(await lastAudit("settings.updated")).toMatchObject({
      door: "console",
      actorId: adminId,
      targetId: "communication",
    });
    const after = await (await browser.get("/console/settings?done=communication")).text();
    expect(after).toContain('role="status"');
    expect(after).toMatch(/id="f-autoInvite.scim"[^>]*checked/);
  });

  it("refuses a change made over someone else's (the version read is sent back)", async () => {
    const res = await post("/console/settings/communication", { version: "0", "channels.sms": "on" });
    expect(res.status).toBe(409);
    expect((await setting("communication")).value.channels).toEqual({ email: true, sms: false });
  });

  it("shows an unknown default entity beside its field, then saves self sign-up", async () => {
    const bad = await post("/console/settings/sign-up", {
      version: "0",
      enabled: "on",
      defaultRole: "member",
      defaultEntityId: "7b0c57a4-6a8e-4e4b-9f0e-1f6d1d1d1d1d",
      defaultJobProfile: "Volunteer",
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-defaultEntityId-error"[^>]*>.*names no entity/s);
    expect(html).toContain('value="Volunteer"');
    expect(await setting("sign-up")).toBeUndefined();

    const [entity] = await t.ds.query("INSERT INTO entities (name) VALUES ('Volunteers') RETURNING id");
    const ok = await post("/console/settings/sign-up", {
      version: "0",
      enabled: "on",
      defaultRole: "member",
      defaultEntityId: entity.id,
      defaultJobProfile: "Volunteer",
    });
    expect(ok.status).toBe(303);
    expect((await setting("sign-up")).value).toEqual({
      enabled: true,
      defaultRole: "member",
      defaultEntityId: entity.id,
      defaultJobProfile: "Volunteer",
    });
  });

  it("saves field ownership, and shows an owner that is neither beside its field", async () => {
    const bad = await post("/console/settings/field-ownership", { "fields.title": "nobody" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="f-fields.title-error"[^>]*>.*must be &quot;idp&quot; or &quot;admin&quot;/s);
    const ok = await post("/console/settings/field-ownership", { "fields.title": "admin", "fields.userName": "idp" });
    expect(ok.status).toBe(303);
    expect((await setting("field-ownership")).value).toMatchObject({ title: "admin", userName: "idp" });
  });

  it("saves the IdP's domains one per line, and names a line that is not a domain", async () => {
    const bad = await post("/console/settings/idp-domains", { domains: "corp.example\nnot a domain" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-domains-error"[^>]*>.*'not a domain' is not a domain name/s);
    expect(html).toContain("corp.example\nnot a domain");
    const ok = await post("/console/settings/idp-domains", { domains: "Corp.example\r\n\r\n@sub.corp.example" });
    expect(ok.status).toBe(303);
    expect((await setting("idp-domains")).value).toEqual({ domains: ["corp.example", "sub.corp.example"] });
  });
});

describe("console: company SSO", () => {
  const SECRET = "typed-once-s3cret-value";
  const form = (over: Record<string, string>) => ({
    name: "Corp IdP",
    issuer: base,
    clientId: "roster-at-corp",
    clientSecret: SECRET,
    scopes: "openid email profile",
    enabled: "on",
    "jit.enabled": "on",
    "jit.allowedDomains": "corp.example",
    "jit.requiredClaims": "",
    "jit.defaultRole": "member",
    "jit.defaultEntityId": "",
    "claimMapping.givenName": "given_name",
    "claimMapping.familyName": "family_name",
    "claimMapping.groups": "groups",
    ...over,
  });

  it("shows a failed discovery beside the issuer, never the secret typed, and writes nothing", async () => {
    const res = await post("/console/sso", form({ issuer: "http://127.0.0.1:9" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-issuer-error"[^>]*>.*discovery of the issuer failed/s);
    expect(html).toContain('value="roster-at-corp"');
    expect(html).not.toContain(SECRET);
    expect(await t.ds.query("SELECT 1 FROM sso_connections")).toEqual([]);
  });

  it("creates a connection (the secret sealed, shown as set), edits it keeping the secret, deletes it after a confirmation", async () => {
    const created = await post("/console/sso", form({}));
    expect(created.status).toBe(303);
    const [row] = await t.ds.query("SELECT id, client_secret_sealed AS sealed FROM sso_connections");
    expect(row.sealed).not.toContain(SECRET);
    expect(await lastAudit("sso_connection.created")).toMatchObject({ door: "console", actorId: adminId });
    const list = await (await browser.get("/console/sso?done=created")).text();
    expect(list).toContain("Corp IdP");
    expect(list).toContain(`/auth/sso/${row.id}/callback`);
    const edit = await (await browser.get(`/console/sso/${row.id}`)).text();
    expect(edit).not.toContain(SECRET);
    expect(edit).toMatch(/class="badge on">set</);
    const secretInput = /<input id="f-clientSecret"[^>]*>/.exec(edit)?.[0] ?? "";
    expect(secretInput).toContain('type="password"');
    expect(secretInput).not.toMatch(/value="[^"]/);

    const saved = await post(`/console/sso/${row.id}`, form({ name: "Corp", clientSecret: "" }));
    expect(saved.status).toBe(303);
    const [after] = await t.ds.query("SELECT name, client_secret_sealed AS sealed FROM sso_connections");
    expect(after).toEqual({ name: "Corp", sealed: row.sealed });

    expect(await (await browser.get(`/console/sso/${row.id}/delete`)).text()).toContain(
      `action="/console/sso/${row.id}/delete"`,
    );
    const deleted = await post(`/console/sso/${row.id}/delete`, {});
    expect(deleted.headers.get("location")).toBe("/console/sso?done=deleted");
    expect(await t.ds.query("SELECT 1 FROM sso_connections")).toEqual([]);
    expect(await lastAudit("sso_connection.deleted")).toMatchObject({ door: "console" });
  });

  it("creates a department sign-up link with its QR code, refuses a bad expiry beside it, and revokes it", async () => {
    const [entity] = await t.ds.query("INSERT INTO entities (name) VALUES ('Warehouse') RETURNING id");
    const bad = await post("/console/sso/signup-links", { entityId: entity.id, expiresAt: "2020-01-01T10:00" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="f-expiresAt-error"[^>]*>.*in the past/s);
    const ok = await post("/console/sso/signup-links", { entityId: entity.id, expiresAt: "2099-01-01T10:00" });
    expect(ok.headers.get("location")).toBe(`/console/sso/signup-links?entity=${entity.id}&done=created`);
    const [link] = await t.ds.query("SELECT id, expires_at FROM signup_links WHERE entity_id = $1", [entity.id]);
    expect(link.expires_at.toISOString()).toBe("2099-01-01T10:00:00.000Z");
    const page = await (await browser.get(`/console/sso/signup-links?entity=${entity.id}`)).text();
    expect(page).toContain('src="data:image/png;base64,');
    expect(page).toContain("/auth/sign-up?link=");
    const revoked = await post(`/console/sso/signup-links/${link.id}/revoke`, { entityId: entity.id });
    expect(revoked.status).toBe(303);
    const [after] = await t.ds.query("SELECT revoked_at FROM signup_links WHERE id = $1", [link.id]);
    expect(after.revoked_at).toBeInstanceOf(Date);
    expect(await lastAudit("signup_link.revoked")).toMatchObject({ door: "console", actorId: adminId });
  });
});
