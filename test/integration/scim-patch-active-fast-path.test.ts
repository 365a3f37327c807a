import { startTestApp, type TestApp } from "../support/app";
import { ENTERPRISE, PATCH_OP, buildScimUser, patchOp, uniqueName } from "../support/factories";
import { activeOnlyPatch } from "../../src/http/scim/patch-active";

// Decision 0130: a PATCH of `active` alone skips scimmy's PatchOp. It must give exactly what the general path gives:
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
  const [row] = await t.ds.query("SELECT version, last_pushed_at IS NOT NULL AS pushed FROM users WHERE id = $1", [id]);
  return { rest, emails: emails.length, version: meta.version, audits, events, row };
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

  it("If-Match and an unknown id answer as on the general path", async () => {
    const id = await richUser();
    const body = patchOp({ op: "replace", value: { active: false } });
    const stale = await t.scim.patch(`/Users/${id}`, body).set("If-Match", 'W/"99"');
    expect(stale.status).toBe(412);
    const missing = await t.scim.patch("/Users/00000000-0000-4000-8000-000000000000", body);
    expect(missing.status).toBe(404);
    expect(missing.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });
});
