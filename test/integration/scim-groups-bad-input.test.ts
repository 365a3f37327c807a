import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";
import { expectScimError, type Json } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const createGroup = async (extra: Json = {}) =>
  (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName(), ...extra }).expect(201))
    .body;

describe("bad group input: a 400 naming the field, nothing changed, never a 500", () => {
  it.each([
    ["no displayName", { schemas: [GROUP_SCHEMA] }, /displayName/],
    ["an empty displayName", { schemas: [GROUP_SCHEMA], displayName: "  " }, /displayName/],
    ["a number for externalId", { schemas: [GROUP_SCHEMA], displayName: "X", externalId: 5 }, /externalId/],
    ["members that is not a list", { schemas: [GROUP_SCHEMA], displayName: "X", members: { value: "x" } }, /members/],
    [
      "a member without value",
      { schemas: [GROUP_SCHEMA], displayName: "X", members: [{ display: "x" }] },
      /members\[0\]\.value/,
    ],
    ["an unknown attribute", { schemas: [GROUP_SCHEMA], displayName: "X", colour: "red" }, /colour/],
    ["a NUL in displayName", { schemas: [GROUP_SCHEMA], displayName: "a\u0000b" }, /displayName/],
  ])("POST with %s is 400", async (_name, body, detail) => {
    const before = Number((await t.ds.query("SELECT count(*) FROM groups"))[0].count);
    const res = await t.scim.post("/Groups", body);
    expectScimError(res, 400);
    expect(res.body.detail).toMatch(detail);
    expect(Number((await t.ds.query("SELECT count(*) FROM groups"))[0].count)).toBe(before);
  });

  it.each([
    ["a sub-attribute path of members", { op: "replace", path: "members.display", value: "x" }, "invalidPath"],
    [
      "an add with a filtered members path",
      { op: "add", path: 'members[value eq "x"]', value: [{ value: "x" }] },
      "invalidPath",
    ],
    ["an unsupported member filter", { op: "remove", path: 'members[display eq "x"]' }, "invalidFilter"],
    ["a member value that is not a string", { op: "add", path: "members", value: [{ value: 42 }] }, "invalidValue"],
    [
      "an explicit Group member type",
      { op: "add", path: "members", value: [{ value: randomUUID(), type: "Group" }] },
      "invalidValue",
    ],
    ["an unknown op", { op: "merge", path: "displayName", value: "x" }, null],
    ["an unknown attribute", { op: "replace", path: "colour", value: "red" }, null],
  ])("PATCH with %s is 400 and changes nothing", async (_name, op, scimType) => {
    const group = await createGroup();
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: "replace", path: "displayName", value: "Changed?" }, op),
    );
    expectScimError(res, 400);
    if (scimType) expect(res.body.scimType).toBe(scimType);
    const read = (await t.scim.get(`/Groups/${group.id}?excludedAttributes=members`).expect(200)).body;
    expect(read).toMatchObject({ displayName: group.displayName, meta: { version: 'W/"1"' } });
  });

  it("a group id as a member is 400 naming nested groups, and the rest of the request is not applied", async () => {
    const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const [group, other] = [await createGroup(), await createGroup()];
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: "add", path: "members", value: [{ value: user.id }, { value: other.id }] }),
    );
    expectScimError(res, 400);
    expect(res.body.detail).toMatch(/nested groups/);
    expect((await t.scim.get(`/Groups/${group.id}`).expect(200)).body.members).toEqual([]);
  });

  it("PATCH without Operations, or not a PatchOp at all, is 400", async () => {
    const group = await createGroup();
    expectScimError(
      await t.scim.patch(`/Groups/${group.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [],
      }),
      400,
    );
    expectScimError(await t.scim.patch(`/Groups/${group.id}`, [1, 2]), 400);
  });

  it("unknown and non-uuid ids are 404 on every method; unsupported methods are 405", async () => {
    for (const id of [randomUUID(), "x'; DROP TABLE groups; --"]) {
      expectScimError(await t.scim.get(`/Groups/${encodeURIComponent(id)}`), 404);
      expectScimError(
        await t.scim.patch(
          `/Groups/${encodeURIComponent(id)}`,
          patchOp({ op: "replace", path: "displayName", value: "x" }),
        ),
        404,
      );
      expectScimError(
        await t.scim.put(`/Groups/${encodeURIComponent(id)}`, { schemas: [GROUP_SCHEMA], displayName: "x" }),
        404,
      );
      expectScimError(await t.scim.delete(`/Groups/${encodeURIComponent(id)}`), 404);
    }
    expectScimError(await t.scim.put("/Groups", {}), 405);
    expectScimError(await t.scim.post(`/Groups/${randomUUID()}`, {}), 405);
  });

  it("If-Match with a stale version is 412 on PATCH, PUT and DELETE", async () => {
    const group = await createGroup();
    const stale = (r: ReturnType<typeof t.scim.get>) => r.set("If-Match", 'W/"7"');
    expectScimError(
      await stale(t.scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: "x" }))),
      412,
    );
    expectScimError(await stale(t.scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: "x" })), 412);
    expectScimError(await stale(t.scim.delete(`/Groups/${group.id}`)), 412);
    await t.scim.delete(`/Groups/${group.id}`).set("If-Match", 'W/"1"').expect(204);
  });
});

describe("PUT /Groups/{id}", () => {
  it("replaces displayName, externalId and the member set; absent members means none", async () => {
    const users = await Promise.all(
      [1, 2, 3].map(async () => (await t.scim.post("/Users", buildScimUser()).expect(201)).body),
    );
    const group = await createGroup({ externalId: "old", members: [{ value: users[0].id }, { value: users[1].id }] });
    expect(group.members.map((m: Json) => m.value).sort()).toEqual([users[0].id, users[1].id].sort());
    const name = uniqueGroupName("Put");
    const ghost = randomUUID();
    const res = await t.scim
      .put(`/Groups/${group.id}`, {
        schemas: [GROUP_SCHEMA],
        displayName: name,
        members: [{ value: users[1].id }, { value: users[2].id }, { value: ghost }],
      })
      .expect(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body).toMatchObject({ id: group.id, displayName: name });
    expect(res.body.externalId).toBeUndefined();
    expect(res.body.members.map((m: Json) => m.value).sort()).toEqual([users[1].id, users[2].id].sort());
    const read = (await t.scim.get(`/Groups/${group.id}`).expect(200)).body;
    expect(read.members.map((m: Json) => m.value).sort()).toEqual([users[1].id, users[2].id].sort());
    await t.scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: name }).expect(200);
    expect((await t.scim.get(`/Groups/${group.id}`).expect(200)).body.members).toEqual([]);
  });

  it("PATCH with ?attributes= answers 200 with the asked-for attributes instead of 204", async () => {
    const group = await createGroup();
    const res = await t.scim
      .patch(
        `/Groups/${group.id}?attributes=displayName`,
        patchOp({ op: "replace", path: "displayName", value: `${group.displayName}!` }),
      )
      .expect(200);
    expect(res.body).toEqual({ schemas: [GROUP_SCHEMA], id: group.id, displayName: `${group.displayName}!` });
  });
});
