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
