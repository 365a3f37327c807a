import { SettingsService } from "../../src/domain/settings/settings.service";
import type { Listener } from "../../src/db/notifications";
import { entity, scopedAdmin } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { eventually } from "../support/people";

/** GET/PUT /admin/v1/settings/communication: defaults, validation naming the field, versions, audit, and the cache. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.ds.query("TRUNCATE settings");
  t.services.settings.forget();
});

const ON = { autoInvite: { scim: true, csv: false }, channels: { email: true, sms: false } };

describe("the communication setting", () => {
  it("reads the published defaults before anyone wrote it (version 0): no auto-invite, email and SMS on", async () => {
    const res = await t.admin.get("/settings/communication").expect(200);
    expect(res.body).toEqual({ autoInvite: { scim: false, csv: false }, channels: { email: true, sms: true } });
    expect(res.headers.etag).toBe('W/"0"');
  });

  it("is replaced by PUT, audited as settings.updated with only the fields that changed, and queued", async () => {
    const res = await t.admin.put("/settings/communication", ON).expect(200);
    expect(res.body).toEqual(ON);
    expect(res.headers.etag).toBe('W/"1"');
    expect((await t.admin.get("/settings/communication").expect(200)).body).toEqual(ON);
    const audit = await t.ds.query(
      "SELECT action, target_type, target_id, changes, door FROM audit_events WHERE action = 'settings.updated' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toEqual([
      {
        action: "settings.updated",
        target_type: "setting",
        target_id: "communication",
        door: "admin",
        changes: { "autoInvite.scim": { before: false, after: true }, "channels.sms": { before: true, after: false } },
      },
    ]);
    // Other processes hear of it by NOTIFY (settings.watch); no side module consumes it, so nothing is queued (0156).
    expect(await t.ds.query("SELECT 1 FROM outbox WHERE topic = 'settings.updated'")).toEqual([]);
  });

  it("a PUT that changes nothing writes nothing (same version, no audit record)", async () => {
    const audits = async () =>
      Number((await t.ds.query("SELECT count(*) FROM audit_events WHERE action = 'settings.updated'"))[0].count);
    await t.admin.put("/settings/communication", ON).expect(200);
    const before = await audits();
    const again = await t.admin.put("/settings/communication", ON).expect(200);
    expect(again.headers.etag).toBe('W/"1"');
    expect(await audits()).toBe(before);
  });

  it("refuses a body that is not the whole setting, naming the field, and changes nothing", async () => {
    const missing = await t.admin
      .put("/settings/communication", { autoInvite: { scim: true, csv: false }, channels: { email: true } })
      .expect(400);
    expect(missing.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(missing.body.field).toBe("channels.sms");
    expect(
      (await t.admin.put("/settings/communication", { ...ON, channels: { email: "yes", sms: false } }).expect(400)).body
        .field,
    ).toBe("channels.email");
    expect(
      (
        await t.admin
          .put("/settings/communication", { ...ON, autoInvite: { scim: true, csv: false, admin: true } })
          .expect(400)
      ).body.field,
    ).toBe("autoInvite");
    expect((await t.admin.put("/settings/communication", { ...ON, extra: 1 }).expect(400)).body.code).toBe(
      "invalid_request",
    );
    expect((await t.admin.put("/settings/communication", []).expect(400)).body.code).toBe("invalid_request");
    expect((await t.admin.get("/settings/communication").expect(200)).headers.etag).toBe('W/"0"');
  });

  it("honours If-Match: a stale version is 412, and of two writers of the same version only one wins", async () => {
    await t.admin.put("/settings/communication", ON).set("If-Match", 'W/"0"').expect(200);
    expect((await t.admin.put("/settings/communication", ON).set("If-Match", 'W/"0"').expect(412)).body.code).toBe(
      "version_mismatch",
    );
    const [a, b] = await Promise.all([
      t.admin.put("/settings/communication", { ...ON, channels: { email: false, sms: true } }).set("If-Match", 'W/"1"'),
      t.admin
        .put("/settings/communication", { ...ON, autoInvite: { scim: false, csv: true } })
        .set("If-Match", 'W/"1"'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    expect((await t.admin.get("/settings/communication").expect(200)).headers.etag).toBe('W/"2"');
  });

  it("auditors and limited admins read it; only an admin of the whole organisation changes it", async () => {
    const auditor = t.adminAs(await t.token("auditor"));
    expect((await auditor.get("/settings/communication").expect(200)).body.channels).toEqual({
      email: true,
      sms: true,
    });
    expect((await auditor.put("/settings/communication", ON).expect(403)).body.code).toBe("read_only");
    const limited = await scopedAdmin(t, [await entity(t, `Settings ${Date.now()}`)]);
    await limited.client.get("/settings/communication").expect(200);
    expect((await limited.client.put("/settings/communication", ON).expect(403)).body.code).toBe("out_of_scope");
    expect((await t.admin.get("/settings/communication").expect(200)).headers.etag).toBe('W/"0"');
  });
});

describe("the settings cache across processes", () => {
  let other: SettingsService;
  let listener: Listener;
  beforeAll(async () => {
    // Another process's view: a long TTL, so only the NOTIFY can make it see a change in time.
    other = new SettingsService(t.ds, 10 * 60_000);
    listener = await other.watch(await workerDatabaseUrl());
  });
  afterAll(async () => listener.close());

  it("another process forgets its cached value as soon as a change commits (NOTIFY), not at the end of its TTL", async () => {
    expect((await other.communication()).autoInvite.scim).toBe(false);
    await t.admin.put("/settings/communication", ON).expect(200);
    await eventually(
      async () => (await other.communication()).autoInvite.scim,
      3000,
      "the other process to see the change",
    );
    expect((await other.communication()).channels.sms).toBe(false);
  });
});
