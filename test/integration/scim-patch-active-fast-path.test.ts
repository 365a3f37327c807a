import { startTestApp, type TestApp } from "../support/app";
import { ENTERPRISE, PATCH_OP, buildScimUser, patchOp, uniqueName } from "../support/factories";
import type { Ctx } from "../../src/domain/context";
import type { UserUpdates } from "../../src/domain/users/users-update";
import { activeOnlyPatch } from "../../src/http/scim/patch-active";

// Decisions 0130, 0132: a PATCH of `active` alone skips scimmy's PatchOp, and is one statement when it can be. It must give exactly what the general path gives:
// the same resource, the same audit records and outbox events, the same errors. The general path is reached with a
// body the fast path does not read (the attribute's full URN path), which scimmy applies the same way.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const FULL_PATH = "urn:ietf:params:scim:schemas:core:2.0:User:active";

describe("activeOnlyPatch: which bodies take the fast path", () => {
  it("reads Okta's and Entra's shapes, several operations, add as replace", () => {
    expect(activeOnlyPatch(patchOp({ op: "replace", value: { active: false } }))).toBe(false);
    expect(activeOnlyPatch(patchOp({ op: "Replace", path: "active", value: "False" }))).toBe(false);
    expect(activeOnlyPatch(patchOp({ op: "replace", path: "Active", value: "TRUE" }))).toBe(true);
    expect(activeOnlyPatch(patchOp({ op: "add", path: "active", value: true }))).toBe(true);
    expect(
      activeOnlyPatch(
        patchOp({ op: "replace", path: "active", value: false }, { op: "replace", value: { active: true } }),
      ),
    ).toBe(true);
  });

  it.each([
    ["no body", undefined],
    ["an array", [patchOp({ op: "replace", value: { active: false } })]],
    ["no operations", patchOp()],
    ["another schema", { schemas: ["urn:x"], Operations: [{ op: "replace", value: { active: false } }] }],
    ["no schemas", { Operations: [{ op: "replace", value: { active: false } }] }],
    ["lower-case operations key", { schemas: [PATCH_OP], operations: [{ op: "replace", value: { active: false } }] }],
    ["an extra message key", { ...patchOp({ op: "replace", value: { active: false } }), id: "x" }],
    ["remove", patchOp({ op: "remove", path: "active" })],
    ["an unknown op", patchOp({ op: "toggle", path: "active", value: true })],
    ["a string in a path-less value", patchOp({ op: "replace", value: { active: "false" } })],
    ["another attribute beside", patchOp({ op: "replace", value: { active: false, title: "x" } })],
    [
      "another operation beside",
      patchOp({ op: "replace", value: { active: false } }, { op: "add", path: "title", value: "x" }),
    ],
    ["a value that is no boolean", patchOp({ op: "replace", path: "active", value: "yes" })],
    ["null", patchOp({ op: "replace", path: "active", value: null })],
    ["the URN path", patchOp({ op: "replace", path: FULL_PATH, value: false })],
    ["an extra operation key", patchOp({ op: "replace", path: "active", value: false, from: "x" })],
  ])("leaves %s to the general path", (_name, body) => {
    expect(activeOnlyPatch(body)).toBeUndefined();
  });
});

/** A user with much set (names, two work emails, phones, addresses, enterprise, a manager) as the IdP creates it. */
async function richUser(): Promise<string> {
  const userName = uniqueName("fast");
  const body = buildScimUser({
    userName,
    externalId: `ext-${userName}`,
    name: { givenName: "Ann", familyName: "Lee", middleName: "B", formatted: "Ann B Lee" },
    displayName: "Ann Lee",
    title: "Engineer",
    locale: "en-GB",
    emails: [
      { value: userName, type: "work", primary: true },
      { value: `other.${userName}`, type: "work" },
    ],
    phoneNumbers: [{ value: "+44 20 7946 0000", type: "mobile" }],
    addresses: [{ streetAddress: "1 Road", locality: "Town", type: "work", primary: true }],
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    [ENTERPRISE]: { employeeNumber: "42", department: "R&D", costCenter: "C1" },
  });
  return (await t.scim.post("/Users", body).expect(201)).body.id;
}

/** What a write left: the answer (without what differs between two users), its audits and its events. */
async function traceOf(id: string, body: unknown) {
  const res = await t.scim.patch(`/Users/${id}`, body).expect(200);
  const { id: _id, userName: _u, externalId: _e, emails, meta, ...rest } = res.body;
  const audits = await t.ds.query(
    "SELECT action, door, changes FROM audit_events WHERE target_id = $1 AND action <> 'user.created' ORDER BY id",
    [id],
  );
  const events = await t.ds.query(
    `SELECT topic, payload - 'userId' - 'requestId' AS payload FROM outbox
     WHERE payload->>'userId' = $1 AND topic <> 'user.created' ORDER BY id`,
    [id],
  );
  const feed = await t.ds.query(
    `SELECT type, data - 'userId' AS data, door FROM events WHERE subject_id = $1 AND type <> 'user.created' ORDER BY seq`,
    [id],
  );
  const [row] = await t.ds.query("SELECT version, last_pushed_at IS NOT NULL AS pushed FROM users WHERE id = $1", [id]);
  return { rest, emails: emails.length, version: meta.version, audits, events, feed, row };
}

describe("PATCH active: the fast path gives what scimmy's path gives", () => {
  it.each([
    ["Okta", (v: boolean) => patchOp({ op: "replace", value: { active: v } })],
    ["Entra", (v: boolean) => patchOp({ op: "Replace", path: "active", value: v ? "True" : "False" })],
  ])("%s: deactivate, deactivate again (no-op), reactivate", async (_idp, shape) => {
    const fast = await richUser();
    const general = await richUser();
    for (const value of [false, false, true]) {
      expect(activeOnlyPatch(shape(value))).toBe(value);
      const a = await traceOf(fast, shape(value));
      const b = await traceOf(general, patchOp({ op: "replace", path: FULL_PATH, value }));
      expect(a).toEqual(b);
      expect(a.rest.active).toBe(value);
    }
  });

  it("takes one statement when it can, and leaves the rest to the general update", async () => {
    const id = await richUser();
    const updates = (t.services.users as unknown as { updates: UserUpdates }).updates;
    const scim: Ctx = { actor: { type: "token", id: null, name: "idp" }, door: "scim", requestId: "r1" };
    expect((await updates.switchAlone(scim, id, false))?.active).toBe(false);
    // Nothing to change, a version If-Match refuses, an actor limited to entities: null, the general path's to answer.
    expect(await updates.switchAlone(scim, id, false)).toBeNull();
    expect(await updates.switchAlone(scim, id, true, { ifMatch: [999] })).toBeNull();
    expect(await updates.switchAlone({ ...scim, entityScope: [] }, id, true)).toBeNull();
    expect(await updates.switchAlone({ ...scim, role: "auditor" }, id, true)).toBeNull();
    expect(await updates.switchAlone(scim, "not-a-uuid", true)).toBeNull();
    expect((await t.scim.get(`/Users/${id}`).expect(200)).body.active).toBe(false);
  });

  it("concurrent deactivations of one person: one leave, one audit record, one event, one version", async () => {
    const id = await richUser();
    const before = (await t.scim.get(`/Users/${id}`).expect(200)).body.meta.version;
    const body = patchOp({ op: "replace", value: { active: false } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.scim.patch(`/Users/${id}`, body)));
    for (const a of answers) expect([a.status, a.body.active]).toEqual([200, false]);
    const { audits, events, feed } = await traceOf(id, body);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(["user.deactivated"]);
    expect(events.map((e: { topic: string }) => e.topic)).toEqual(["user.deactivated"]);
    expect(feed.map((e: { type: string }) => e.type)).toEqual(["user.deactivated"]);
    const after = (await t.scim.get(`/Users/${id}`).expect(200)).body.meta.version;
    expect(Number(/\d+/.exec(after)?.[0])).toBe(Number(/\d+/.exec(before)?.[0]) + 1);
  });

  it("If-Match and an unknown id answer as on the general path", async () => {
    const id = await richUser();
    const body = patchOp({ op: "replace", value: { active: false } });
    const stale = await t.scim.patch(`/Users/${id}`, body).set("If-Match", 'W/"99"');
    expect(stale.status).toBe(412);
    expect((await t.scim.get(`/Users/${id}`).expect(200)).body.active).toBe(true);
    const version = (await t.scim.get(`/Users/${id}`).expect(200)).body.meta.version;
    const matched = await t.scim.patch(`/Users/${id}`, body).set("If-Match", version);
    expect([matched.status, matched.body.active]).toEqual([200, false]);
    const missing = await t.scim.patch("/Users/00000000-0000-4000-8000-000000000000", body);
    expect(missing.status).toBe(404);
    expect(missing.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });
});
