import type { Server } from "node:http";
import { hashSecret } from "../../src/domain/secrets";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import type { Browser } from "../support/oidc-browser";
import { startProviderApp } from "../support/oidc-browser";

let t: TestApp;
let base: string;
let server: Server;
let admin: Browser;
let csrf: string;
let adminId: string;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  const person = await consolePerson(t.ds, "admin");
  adminId = person.id;
  const signedIn = await signInToConsole(base, "/console/tokens", person.userName);
  admin = signedIn.browser;
  csrf = csrfOf(signedIn.body);
});
afterAll(async () => {
  server.close();
  await t.close();
});

const post = (path: string, form: Record<string, string>) => admin.post(path, { _csrf: csrf, ...form });
const lastAudit = async (action: string) =>
  (
    await t.ds.query(
      'SELECT door, actor_id AS "actorId", changes FROM audit_events WHERE action = $1 ORDER BY id DESC LIMIT 1',
      [action],
    )
  )[0];

describe("console: API tokens", () => {
  it("creates a token shown once, lists it without it, and keeps only its hash", async () => {
    const created = await post("/console/tokens", { name: "okta-prod", scope: "admin" });
    expect(created.status).toBe(201);
    const page = await created.text();
    const token = /<code id="secret-value">([^<]+)<\/code>/.exec(page)?.[1] ?? "";
    expect(token.length).toBeGreaterThan(20);
    expect(page).toContain("only time");

    const list = await (await admin.get("/console/tokens")).text();
    expect(list).toContain("okta-prod");
    expect(list).not.toContain(token);
    const [row] = await t.ds.query("SELECT token_hash, last_used_at FROM api_tokens WHERE name = 'okta-prod'");
    expect(row.token_hash).toBe(hashSecret(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.last_used_at).toBeNull();
    expect(await lastAudit("token.created")).toMatchObject({ door: "console", actorId: adminId });

    const used = await t.adminAs(token).get("/settings/communication");
    expect(used.status).toBe(200);
    const [stamped] = await t.ds.query("SELECT last_used_at FROM api_tokens WHERE name = 'okta-prod'");
    expect(stamped.last_used_at).toBeInstanceOf(Date);
    const after = await (await admin.get("/console/tokens")).text();
    expect(after).toMatch(/<td>okta-prod<\/td><td>admin<\/td><td>[^<]+<\/td><td>[^<]+UTC<\/td>/);
  });

  it("shows the error beside the name and keeps what was typed", async () => {
    const bad = await post("/console/tokens", { name: "has spaces", scope: "scim" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-name-error"[^>]*>.*letters, digits/s);
    expect(html).toContain('value="has spaces"');
    await post("/console/tokens", { name: "twice", scope: "scim" });
    const again = await post("/console/tokens", { name: "twice", scope: "scim" });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/id="f-name-error"[^>]*>.*already exists/s);
  });

  it("revokes after a confirmation page: the token stops opening /admin/v1", async () => {
    const page = await (await post("/console/tokens", { name: "to-revoke", scope: "admin" })).text();
    const token = /<code id="secret-value">([^<]+)<\/code>/.exec(page)?.[1] ?? "";
    expect((await t.adminAs(token).get("/settings/communication")).status).toBe(200);
    const [{ id }] = await t.ds.query("SELECT id FROM api_tokens WHERE name = 'to-revoke'");
    const confirm = await admin.get(`/console/tokens/${id}/revoke`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`action="/console/tokens/${id}/revoke"`);
    const revoked = await post(`/console/tokens/${id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe("/console/tokens?done=revoked");
    expect((await t.adminAs(token).get("/settings/communication")).status).toBe(401);
    expect(await lastAudit("token.revoked")).toMatchObject({ door: "console", changes: { name: "to-revoke" } });
    expect((await admin.get(`/console/tokens/${id}/revoke`)).status).toBe(404);
  });
});

describe("console: auditors and entity-scoped admins on the ops pages", () => {
  it("refuses auditors every ops page, and their posts", async () => {
    const auditor = await consolePerson(t.ds, "auditor");
    const { browser, body } = await signInToConsole(base, "/console", auditor.userName);
    expect(body).not.toContain('href="/console/tokens"');
    for (const path of [
      "/console/tokens",
      "/console/webhooks",
      "/console/settings",
      "/console/sso",
      "/console/sso/signup-links",
    ])
      expect([path, (await browser.get(path)).status]).toEqual([path, 403]);
    const write = await browser.post("/console/tokens", { _csrf: csrfOf(body), name: "x", scope: "admin" });
    expect(write.status).toBe(403);
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM api_tokens WHERE name = 'x'");
    expect(n).toBe(0);
  });

  it("refuses an entity-scoped admin a token (it would open the whole organisation)", async () => {
    const [entity] = await t.ds.query(
      "INSERT INTO entities (id, name) VALUES (gen_random_uuid(), 'Sales') RETURNING id",
    );
    const scoped = await consolePerson(t.ds, "admin", { adminScope: [entity.id] });
    const { browser, body } = await signInToConsole(base, "/console/tokens", scoped.userName);
    const res = await browser.post("/console/tokens", { _csrf: csrfOf(body), name: "scoped-one", scope: "admin" });
    expect(res.status).toBe(403);
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM api_tokens WHERE name = 'scoped-one'");
    expect(n).toBe(0);
  });

  it("refuses an entity-scoped admin a sign-up link outside their entities (unknown there), allows one inside", async () => {
    const [mine] = await t.ds.query("INSERT INTO entities (name) VALUES ('Mine') RETURNING id");
    const [other] = await t.ds.query("INSERT INTO entities (name) VALUES ('Other') RETURNING id");
    const scoped = await consolePerson(t.ds, "admin", { adminScope: [mine.id] });
    const { browser, body } = await signInToConsole(base, "/console/sso/signup-links", scoped.userName);
    const outside = await browser.post("/console/sso/signup-links", { _csrf: csrfOf(body), entityId: other.id });
    expect(outside.status).toBe(404);
    expect((await browser.get(`/console/sso/signup-links?entity=${other.id}`)).status).toBe(404);
    const inside = await browser.post("/console/sso/signup-links", { _csrf: csrfOf(body), entityId: mine.id });
    expect(inside.status).toBe(303);
    const rows = await t.ds.query("SELECT entity_id FROM signup_links WHERE entity_id = ANY($1::uuid[])", [
      [mine.id, other.id],
    ]);
    expect(rows).toEqual([{ entity_id: mine.id }]);
  });
});
