import { type AdminClient, startTestApp, type TestApp } from "../support/app";
import { entity, person, scopedAdmin } from "../support/admin-fixtures";
import { memberIds, scimGroup } from "../support/group-fixtures";

/**
 * An admin limited to France (and so Lyon below it) on every groups route: groups are visible, but only the members
 * placed within the scope are counted, listed, added or removed; anyone else is not found (404), as on /users.
 */
let t: TestApp;
let france: string, lyon: string, spain: string;
let scoped: { id: string; client: AdminClient };
let inside: { id: string }, outside: { id: string }, nowhere: { id: string };
let group: string;

beforeAll(async () => {
  t = await startTestApp();
  const root = await entity(t, "Holding");
  france = await entity(t, "France", root);
  lyon = await entity(t, "Lyon", france);
  spain = await entity(t, "Spain", root);
  scoped = await scopedAdmin(t, [france]);
  inside = await person(t, { entityId: lyon });
  outside = await person(t, { entityId: spain });
  nowhere = await person(t);
  group = await scimGroup(t, "Mixed Space");
  await t.admin.post(`/groups/${group}/members`, { ids: [inside.id, outside.id, nowhere.id] }).expect(200);
});
afterAll(async () => t.close());

const ids = (body: { items: { id: string }[] }) => body.items.map((m) => m.id).sort();

describe("entity scope on /admin/v1/groups", () => {
  it("GET /groups and /groups/{id}: every group, counting only the members in scope", async () => {
    expect((await scoped.client.get("/groups?q=mixed").expect(200)).body.items).toEqual([
      expect.objectContaining({ id: group, memberCount: 1 }),
    ]);
    expect((await scoped.client.get(`/groups/${group}`).expect(200)).body.memberCount).toBe(1);
    expect((await t.admin.get(`/groups/${group}`).expect(200)).body.memberCount).toBe(3);
  });

  it("GET /groups/{id}/members lists only the members in scope, at every page size", async () => {
    expect(ids((await scoped.client.get(`/groups/${group}/members`).expect(200)).body)).toEqual([inside.id]);
    expect(ids((await t.admin.get(`/groups/${group}/members`).expect(200)).body)).toEqual(
      [inside.id, outside.id, nowhere.id].sort(),
    );
    let cursor: string | null = null;
    const seen: string[] = [];
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await scoped.client.get(`/groups/${group}/members?limit=1${cursor ? `&cursor=${cursor}` : ""}`).expect(200)
      ).body;
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([inside.id]);
  });

  it("POST /groups/{id}/members: people in scope only; anyone else is 404 and nothing of the request applies", async () => {
    const other = await scimGroup(t);
    const inLyon = await person(t, { entityId: lyon });
    for (const bad of [outside.id, nowhere.id]) {
      const res = await scoped.client.post(`/groups/${other}/members`, { ids: [inLyon.id, bad] }).expect(404);
      expect(res.body).toMatchObject({ code: "not_found", detail: expect.stringContaining(bad) });
    }
    expect(await memberIds(t, other)).toEqual([]);
    expect((await scoped.client.post(`/groups/${other}/members`, { ids: [inLyon.id] }).expect(200)).body.added).toEqual(
      [inLyon.id],
    );
    expect(await memberIds(t, other)).toEqual([inLyon.id]);
  });

  it("DELETE /groups/{id}/members/{userId}: people in scope only (404 otherwise, the membership stays)", async () => {
    const g = await scimGroup(t);
    const inLyon = await person(t, { entityId: lyon });
    await t.admin.post(`/groups/${g}/members`, { ids: [inLyon.id, outside.id, nowhere.id] }).expect(200);
    await scoped.client.delete(`/groups/${g}/members/${outside.id}`).expect(404);
    await scoped.client.delete(`/groups/${g}/members/${nowhere.id}`).expect(404);
    await scoped.client.delete(`/groups/${g}/members/${inLyon.id}`).expect(204);
    expect(await memberIds(t, g)).toEqual([outside.id, nowhere.id].sort());
  });

  it("a person moved out of the scope leaves the scoped view of the group at once", async () => {
    const g = await scimGroup(t);
    const mover = await person(t, { entityId: lyon });
    await scoped.client.post(`/groups/${g}/members`, { ids: [mover.id] }).expect(200);
    await t.admin.patch(`/users/${mover.id}`, { entityId: spain }).expect(200);
    expect((await scoped.client.get(`/groups/${g}/members`).expect(200)).body.items).toEqual([]);
    expect((await scoped.client.get(`/groups/${g}`).expect(200)).body.memberCount).toBe(0);
    await scoped.client.delete(`/groups/${g}/members/${mover.id}`).expect(404);
  });

  it("a limited auditor reads the members within their scope and changes nothing", async () => {
    const auditor = await scopedAdmin(t, [lyon], "auditor");
    expect(ids((await auditor.client.get(`/groups/${group}/members`).expect(200)).body)).toEqual([inside.id]);
    expect((await auditor.client.post(`/groups/${group}/members`, { ids: [inside.id] }).expect(403)).body.code).toBe(
      "read_only",
    );
    expect((await auditor.client.delete(`/groups/${group}/members/${inside.id}`).expect(403)).body.code).toBe(
      "read_only",
    );
  });
});
