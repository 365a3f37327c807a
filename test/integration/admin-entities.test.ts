import { startTestApp, type TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const problem = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  return res.body;
};

describe("entities: a tree at /admin/v1/entities", () => {
  it("creates, lists flat or nested, and reads one with its path and usage", async () => {
    const group = await entity(t, "Acme Group");
    const france = await entity(t, "France", group, "FR");
    const lyon = await entity(t, "Lyon", france);
    await person(t, { entityId: lyon });

    const flat = (await t.admin.get("/entities").expect(200)).body.entities;
    expect(flat.find((e: { id: string }) => e.id === lyon)).toMatchObject({
      name: "Lyon",
      parentId: france,
      externalKey: null,
      version: 1,
    });

    const tree = (await t.admin.get("/entities?tree=true").expect(200)).body.entities;
    const root = tree.find((e: { id: string }) => e.id === group);
    expect(root.children).toEqual([
      expect.objectContaining({
        id: france,
        externalKey: "FR",
        children: [expect.objectContaining({ id: lyon, children: [] })],
      }),
    ]);

    const one = await t.admin.get(`/entities/${lyon}`).expect(200);
    expect(one.headers.etag).toBe('W/"1"');
    expect(one.body).toMatchObject({
      id: lyon,
      path: [
        { id: group, name: "Acme Group" },
        { id: france, name: "France" },
      ],
      childCount: 0,
      userCount: 1,
    });
    expect(problem(await t.admin.get("/entities?tree=maybe").expect(400))).toMatchObject({
      code: "invalid_request",
      field: "tree",
    });
  });

  it("keeps sibling names unique case-insensitively (409 name_taken), and external keys too", async () => {
    const parent = await entity(t, "Sites");
    await entity(t, "Paris", parent, "PAR");
    expect(problem(await t.admin.post("/entities", { name: "PARIS", parentId: parent }).expect(409))).toMatchObject({
      code: "name_taken",
      field: "name",
    });
    expect(
      problem(await t.admin.post("/entities", { name: "Paris 2", parentId: parent, externalKey: "par" }).expect(409)),
    ).toMatchObject({ code: "externalKey_taken" });
    await t.admin.post("/entities", { name: "Paris", parentId: null }).expect(201); // same name, other level
  });

  it("refuses bad input by field and changes nothing", async () => {
    const before = (await t.admin.get("/entities").expect(200)).body.entities.length;
    expect(problem(await t.admin.post("/entities", { name: "  " }).expect(400))).toMatchObject({
      code: "invalid_value",
      field: "name",
    });
    expect(problem(await t.admin.post("/entities", { name: "X", parentId: "nope" }).expect(400))).toMatchObject({
      code: "invalid_request",
      field: "parentId",
    });
    expect(
      problem(
        await t.admin.post("/entities", { name: "X", parentId: "00000000-0000-4000-8000-000000000009" }).expect(400),
      ),
    ).toMatchObject({ field: "parentId" });
    expect(problem(await t.admin.post("/entities", { name: "X", colour: "red" }).expect(400))).toMatchObject({
      code: "invalid_request",
    });
    expect((await t.admin.get("/entities").expect(200)).body.entities.length).toBe(before);
  });

  it("renames and moves, refusing a move below itself or its own sub-entities (409 entity_cycle)", async () => {
    const a = await entity(t, "A-root");
    const b = await entity(t, "B", a);
    const c = await entity(t, "C", b);
    expect(problem(await t.admin.patch(`/entities/${a}`, { parentId: c }).expect(409))).toMatchObject({
      code: "entity_cycle",
      field: "parentId",
    });
    expect(problem(await t.admin.patch(`/entities/${a}`, { parentId: a }).expect(409))).toMatchObject({
      code: "entity_cycle",
    });
    const moved = await t.admin.patch(`/entities/${c}`, { parentId: a, name: "C moved" }).expect(200);
    expect(moved.body).toMatchObject({ parentId: a, name: "C moved", version: 2 });
    await t.admin.patch(`/entities/${c}`, { parentId: null }).expect(200);
    expect((await t.admin.get(`/entities/${c}`).expect(200)).body.path).toEqual([]);
  });

  it("never closes a loop when two opposite moves race", async () => {
    const x = await entity(t, "X-race");
    const y = await entity(t, "Y-race");
    const [one, two] = await Promise.all([
      t.admin.patch(`/entities/${x}`, { parentId: y }),
      t.admin.patch(`/entities/${y}`, { parentId: x }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
  });

  it("checks If-Match on writes (412 version_mismatch)", async () => {
    const e = await entity(t, "Versioned");
    expect(
      problem(await t.admin.patch(`/entities/${e}`, { name: "V2" }).set("If-Match", 'W/"9"').expect(412)),
    ).toMatchObject({ code: "version_mismatch" });
    await t.admin.patch(`/entities/${e}`, { name: "V2" }).set("If-Match", 'W/"1"').expect(200);
    await t.admin.delete(`/entities/${e}`).set("If-Match", '"1"').expect(412);
    await t.admin.delete(`/entities/${e}`).set("If-Match", 'W/"2"').expect(204);
  });

  it("refuses to delete an entity with sub-entities, people or a place in an admin scope", async () => {
    const top = await entity(t, "Busy");
    const child = await entity(t, "Child", top);
    expect(problem(await t.admin.delete(`/entities/${top}`).expect(409))).toMatchObject({
      code: "entity_has_children",
    });
    const p = await person(t, { entityId: child });
    expect(problem(await t.admin.delete(`/entities/${child}`).expect(409))).toMatchObject({ code: "entity_has_users" });
    await t.admin.patch(`/users/${p.id}`, { entityId: null }).expect(200);
    await person(t, { role: "auditor", adminScope: [child] });
    expect(problem(await t.admin.delete(`/entities/${child}`).expect(409))).toMatchObject({
      code: "entity_in_admin_scope",
    });
    const empty = await entity(t, "Empty", top);
    await t.admin.delete(`/entities/${empty}`).expect(204);
    expect(problem(await t.admin.get(`/entities/${empty}`).expect(404))).toMatchObject({ code: "not_found" });
  });

  it("audits each change and queues its event in the same write", async () => {
    const e = await entity(t, "Audited", null, "AUD");
    await t.admin.patch(`/entities/${e}`, { name: "Audited 2" }).expect(200);
    await t.admin.delete(`/entities/${e}`).expect(204);
    const audits = await t.ds.query(
      "SELECT action, door, changes FROM audit_events WHERE target_type = 'entity' AND target_id = $1 ORDER BY id",
      [e],
    );
    expect(audits.map((a: { action: string }) => a.action)).toEqual([
      "entity.created",
      "entity.updated",
      "entity.deleted",
    ]);
    expect(audits[0]).toMatchObject({
      door: "admin",
      changes: { name: { before: null, after: "Audited" }, externalKey: { after: "AUD" } },
    });
    expect(audits[1].changes).toEqual({ name: { before: "Audited", after: "Audited 2" } });
    const events = await t.ds.query("SELECT type FROM events WHERE subject_id = $1 ORDER BY seq", [e]);
    expect(events.map((x: { type: string }) => x.type)).toEqual(["entity.created", "entity.updated", "entity.deleted"]);
  });

  it("answers 404 for unknown and malformed ids", async () => {
    await t.admin.get("/entities/00000000-0000-4000-8000-000000000001").expect(404);
    await t.admin.patch("/entities/not-a-uuid", { name: "x" }).expect(404);
    await t.admin.delete("/entities/00000000-0000-4000-8000-000000000001").expect(404);
  });
});
