import { type AdminClient, startTestApp, type TestApp } from "../support/app";
import { entity, person, personBody, scopedAdmin } from "../support/admin-fixtures";

/**
 * An admin limited to France (and so Lyon below it) on every people-lane route: success within the scope, 404 for
 * people and entities outside it (their existence is not revealed), 403 out_of_scope for what they would place outside.
 */
let t: TestApp;
let root: string, france: string, lyon: string, spain: string;
let scoped: { id: string; client: AdminClient };
let inside: { id: string }, outside: { id: string }, nowhere: { id: string }, boss: { id: string };

beforeAll(async () => {
  t = await startTestApp();
  root = await entity(t, "Group");
  france = await entity(t, "France", root);
  lyon = await entity(t, "Lyon", france);
  spain = await entity(t, "Spain", root);
  scoped = await scopedAdmin(t, [france]);
  inside = await person(t, { entityId: lyon });
  outside = await person(t, { entityId: spain });
  nowhere = await person(t);
  boss = await person(t, { entityId: lyon, role: "admin" }); // an admin of the whole organisation, placed in Lyon
});
afterAll(async () => t.close());

const code = (res: { body: { code?: string } }) => res.body.code;

describe("entity scope on /admin/v1/entities", () => {
  it("GET /entities lists only the entities in scope", async () => {
    const ids = (await scoped.client.get("/entities").expect(200)).body.entities.map((e: { id: string }) => e.id);
    expect(ids.sort()).toEqual([france, lyon].sort());
    const tree = (await scoped.client.get("/entities?tree=true").expect(200)).body.entities;
    expect(tree.map((e: { id: string }) => e.id)).toEqual([france]);
  });

  it("GET /entities/{id}: 200 inside, 404 outside", async () => {
    await scoped.client.get(`/entities/${lyon}`).expect(200);
    expect(code(await scoped.client.get(`/entities/${spain}`).expect(404))).toBe("not_found");
    await scoped.client.get(`/entities/${root}`).expect(404);
  });

  it("POST /entities: below an entity in scope only; never top-level", async () => {
    await scoped.client.post("/entities", { name: "Villeurbanne", parentId: lyon }).expect(201);
    expect(code(await scoped.client.post("/entities", { name: "Madrid", parentId: spain }).expect(403))).toBe(
      "out_of_scope",
    );
    expect((await scoped.client.post("/entities", { name: "Top" }).expect(403)).body).toMatchObject({
      code: "out_of_scope",
      field: "parentId",
    });
  });

  it("PATCH /entities/{id}: inside only, and no move out of scope", async () => {
    await scoped.client.patch(`/entities/${lyon}`, { externalKey: "LYS" }).expect(200);
    await scoped.client.patch(`/entities/${spain}`, { name: "España" }).expect(404);
    expect(code(await scoped.client.patch(`/entities/${lyon}`, { parentId: spain }).expect(403))).toBe("out_of_scope");
    expect(code(await scoped.client.patch(`/entities/${france}`, { parentId: null }).expect(403))).toBe("out_of_scope");
  });

  it("DELETE /entities/{id}: inside only", async () => {
    const temp = await entity(t, "Temp", lyon);
    await scoped.client.delete(`/entities/${spain}`).expect(404);
    await scoped.client.delete(`/entities/${temp}`).expect(204);
  });
});

describe("entity scope on /admin/v1/users", () => {
  it("POST /users: in an entity of the scope only; rights granted only within the scope", async () => {
    await scoped.client.post("/users", personBody({ entityId: lyon })).expect(201);
    expect((await scoped.client.post("/users", personBody({ entityId: spain })).expect(403)).body).toMatchObject({
      code: "out_of_scope",
      field: "entityId",
    });
    expect((await scoped.client.post("/users", personBody()).expect(403)).body).toMatchObject({
      code: "out_of_scope",
      field: "entityId",
    });
    await scoped.client.post("/users", personBody({ entityId: lyon, role: "admin", adminScope: [lyon] })).expect(201);
    expect(
      (await scoped.client.post("/users", personBody({ entityId: lyon, role: "admin" })).expect(403)).body.field,
    ).toBe("adminScope");
    expect(
      (
        await scoped.client
          .post("/users", personBody({ entityId: lyon, role: "auditor", adminScope: [spain] }))
          .expect(403)
      ).body.field,
    ).toBe("adminScope");
  });

  it("POST /users/batch: in scope, else the whole batch is refused", async () => {
    const ok = await scoped.client
      .post("/users/batch", { emails: ["paul.bocuse@corp.test"], entityId: lyon })
      .expect(200);
    expect(ok.body.summary.created).toBe(1);
    expect(
      code(
        await scoped.client.post("/users/batch", { emails: ["pablo.picasso@corp.test"], entityId: spain }).expect(403),
      ),
    ).toBe("out_of_scope");
    expect(code(await scoped.client.post("/users/batch", { emails: ["pablo.picasso@corp.test"] }).expect(403))).toBe(
      "out_of_scope",
    );
  });

  it("GET /users/{id}: 200 inside, 404 outside or without an entity", async () => {
    await scoped.client.get(`/users/${inside.id}`).expect(200);
    await scoped.client.get(`/users/${outside.id}`).expect(404);
    await scoped.client.get(`/users/${nowhere.id}`).expect(404);
  });

  it("PATCH /users/{id}: inside only; never moved out of scope; never someone whose rights reach further", async () => {
    await scoped.client.patch(`/users/${inside.id}`, { external: true }).expect(200);
    await scoped.client.patch(`/users/${outside.id}`, { external: true }).expect(404);
    await scoped.client.patch(`/users/${nowhere.id}`, { entityId: lyon }).expect(404);
    expect((await scoped.client.patch(`/users/${inside.id}`, { entityId: spain }).expect(403)).body.field).toBe(
      "entityId",
    );
    expect(code(await scoped.client.patch(`/users/${boss.id}`, { role: "member" }).expect(403))).toBe("out_of_scope");
    expect(code(await scoped.client.patch(`/users/${scoped.id}`, { adminScope: [] }).expect(403))).toBe("out_of_scope");
    await scoped.client.patch(`/users/${inside.id}`, { role: "auditor", adminScope: [lyon] }).expect(200);
  });

  it("POST /users/{id}/deactivate and /activate: inside only, and not someone whose rights reach further", async () => {
    await scoped.client.post(`/users/${inside.id}/deactivate`).expect(200);
    await scoped.client.post(`/users/${inside.id}/activate`).expect(200);
    await scoped.client.post(`/users/${outside.id}/deactivate`).expect(404);
    await scoped.client.post(`/users/${outside.id}/activate`).expect(404);
    expect(code(await scoped.client.post(`/users/${boss.id}/deactivate`).expect(403))).toBe("out_of_scope");
  });

  it("a limited auditor reads within the scope and nothing else", async () => {
    const auditor = await scopedAdmin(t, [lyon], "auditor");
    await auditor.client.get(`/users/${inside.id}`).expect(200);
    await auditor.client.get(`/users/${outside.id}`).expect(404);
    await auditor.client.get(`/entities/${france}`).expect(404);
    expect(code(await auditor.client.patch(`/users/${inside.id}`, { external: false }).expect(403))).toBe("read_only");
  });
});
