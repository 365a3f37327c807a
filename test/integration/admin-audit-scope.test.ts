import { randomBytes } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { resetAuditLog } from "../support/audit";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

interface Item {
  action: string;
  target: { type: string; id: string | null };
}

/** A SCIM user placed in `entityId` (SQL: the admin routes that do this belong to another lane), then patched once. */
async function person(
  entityId: string | null,
  role = "member",
  scope: string[] = [],
): Promise<{ id: string; userName: string }> {
  const res = await t.scim.post("/Users", buildScimUser()).expect(201);
  await t.ds.query("UPDATE users SET entity_id = $2, system_role = $3, admin_scope = $4::uuid[] WHERE id = $1", [
    res.body.id,
    entityId,
    role,
    scope,
  ]);
  await t.scim.patch(`/Users/${res.body.id}`, patchOp({ op: "replace", path: "title", value: "Changed" })).expect(200);
  return { id: res.body.id, userName: res.body.userName };
}

describe("the audit log for an admin limited to some entities", () => {
  let france: string;
  let lyon: string;
  let spain: string;
  let inLyon: { id: string };
  let inSpain: { id: string };
  let nowhere: { id: string };
  let scoped: ReturnType<TestApp["adminAs"]>;

  beforeAll(async () => {
    await resetAuditLog(t.ds);
    // Unique names: entities outlive resetDatabase, and a TEST_DATABASE_URL outlives the run.
    const suffix = randomBytes(3).toString("hex");
    [{ id: france }] = await t.ds.query("INSERT INTO entities (name) VALUES ($1) RETURNING id", [`France ${suffix}`]);
    [{ id: lyon }] = await t.ds.query("INSERT INTO entities (name, parent_id) VALUES ('Lyon', $1) RETURNING id", [
      france,
    ]);
    [{ id: spain }] = await t.ds.query("INSERT INTO entities (name) VALUES ($1) RETURNING id", [`Spain ${suffix}`]);
    inLyon = await person(lyon);
    inSpain = await person(spain);
    nowhere = await person(null);
    const admin = await person(france, "admin", [france]);
    scoped = t.adminAs(await t.token("admin", admin.userName));
  });

  const targets = (items: Item[]) => [...new Set(items.map((i) => i.target.id))];

  it("sees only records about users of its entities and their sub-entities", async () => {
    const { items } = (await scoped.get("/audit").expect(200)).body as { items: Item[] };
    // Its own person record is in scope too (France); tokens, Spain and entity-less users are not.
    expect(items.every((i) => i.target.type === "user")).toBe(true);
    expect(targets(items)).toContain(inLyon.id);
    expect(targets(items)).not.toContain(inSpain.id);
    expect(targets(items)).not.toContain(nowhere.id);
    const all = (await t.admin.get("/audit?limit=500").expect(200)).body.items as Item[];
    expect(all.some((i) => i.target.type === "token")).toBe(true);
    expect(targets(all)).toEqual(expect.arrayContaining([inLyon.id, inSpain.id, nowhere.id]));
  });

  it("gets an empty list, not an error, when filtering on a user out of its reach", async () => {
    expect((await scoped.get(`/audit?user=${inSpain.id}`).expect(200)).body.items).toEqual([]);
    expect((await scoped.get(`/audit?user=${inLyon.id}`).expect(200)).body.items.map((i: Item) => i.action)).toEqual([
      "user.updated",
      "user.created",
    ]);
  });

  it("exports only what it may see", async () => {
    const res = await scoped.get("/audit/export?format=ndjson").expect(200);
    const lines = res.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Item);
    expect(targets(lines)).toContain(inLyon.id);
    expect(targets(lines)).not.toContain(inSpain.id);
    expect(lines.every((i) => i.target.type === "user")).toBe(true);
  });

  it("follows the user's entity now: a user moved out of scope takes its history along", async () => {
    await t.ds.query("UPDATE users SET entity_id = $2 WHERE id = $1", [inLyon.id, spain]);
    expect((await scoped.get(`/audit?user=${inLyon.id}`).expect(200)).body.items).toEqual([]);
    await t.ds.query("UPDATE users SET entity_id = $2 WHERE id = $1", [inSpain.id, lyon]);
    expect((await scoped.get(`/audit?user=${inSpain.id}`).expect(200)).body.items).toHaveLength(2);
  });

  it("applies to a scoped auditor the same way", async () => {
    const reader = await person(france, "auditor", [lyon]);
    const auditor = t.adminAs(await t.token("auditor", reader.userName));
    const { items } = (await auditor.get("/audit").expect(200)).body as { items: Item[] };
    expect(targets(items)).toEqual([inSpain.id]); // moved into Lyon by the test above
  });
});
