import { Client } from "pg";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";
import { expectScimError, type Json, LIST_URN } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const createGroup = async (extra: Json = {}) =>
  (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName(), ...extra }).expect(201))
    .body;

/** Fills a group with n new users straight in SQL (set-up, not the subject of the test). */
async function fill(groupId: string, n: number): Promise<string[]> {
  const rows = await t.ds.query(
    `WITH u AS (INSERT INTO users (user_name, display_name, source)
       SELECT 'm' || g || '.' || md5(random()::text) || '@x.test', CASE WHEN g % 2 = 0 THEN 'Member ' || g END, 'scim' FROM generate_series(1, $2::int) g RETURNING id)
     INSERT INTO group_members (group_id, user_id) SELECT $1, id FROM u RETURNING user_id`,
    [groupId, n],
  );
  return rows.map((r: { user_id: string }) => r.user_id);
}

/** Runs `fn` while another connection holds an ACCESS EXCLUSIVE lock on group_members: any read of it would block. */
async function withMembersLocked<T>(fn: () => Promise<T>): Promise<T> {
  const locker = new Client({ connectionString: await workerDatabaseUrl() });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE group_members IN ACCESS EXCLUSIVE MODE");
    return await fn();
  } finally {
    await locker.query("ROLLBACK").catch(() => undefined);
    await locker.end();
  }
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p.then((v) => ({ done: true as const, v })),
    new Promise<{ done: false }>((r) => setTimeout(() => r({ done: false }), ms).unref()),
  ]);

describe("GET of groups and their members", () => {
  it("streams every member of a group larger than one page, in id order, without duplicates", async () => {
    const group = await createGroup();
    const ids = await fill(group.id, 2500);
    const res = await t.scim.get(`/Groups/${group.id}`).expect(200);
    expect(res.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect(res.body.members).toHaveLength(2500);
    const got = res.body.members.map((m: Json) => m.value);
    expect(got).toEqual([...ids].sort());
    expect(
      res.body.members.every((m: Json) => typeof m.display === "string" && m.$ref.endsWith(`/Users/${m.value}`)),
    ).toBe(true);
    expect(res.body.meta.version).toBe('W/"1"');
  });

  it("excludedAttributes=members (and attributes without members) never read group_members: they answer while it is locked", async () => {
    const group = await createGroup();
    await fill(group.id, 3);
    const filter = encodeURIComponent(`displayName eq "${group.displayName}"`);
    const blocked = await withMembersLocked(async () => {
      const one = await within(
        t.scim.get(`/Groups/${group.id}?excludedAttributes=members`).then((r) => r),
        5000,
      );
      expect(one.done && one.v.status).toBe(200);
      const list = await within(
        t.scim.get(`/Groups?excludedAttributes=members&filter=${filter}`).then((r) => r),
        5000,
      );
      expect(list.done && list.v.body.totalResults).toBe(1);
      const attrs = await within(
        t.scim.get(`/Groups/${group.id}?attributes=displayName,externalId`).then((r) => r),
        5000,
      );
      expect(attrs.done && attrs.v.body).toEqual({
        schemas: [GROUP_SCHEMA],
        id: group.id,
        displayName: group.displayName,
      });
      // The control: a GET that shows members does wait for the lock.
      const pending = t.scim.get(`/Groups/${group.id}`).then((r) => r);
      expect((await within(pending, 700)).done).toBe(false);
      return { pending };
    });
    // Once the lock is gone, the blocked GET finishes with the members.
    expect((await blocked.pending).body.members).toHaveLength(3);
  });

  it("attributes=members.value and excludedAttributes=members.display shape each member", async () => {
    const group = await createGroup();
    const [id] = await fill(group.id, 1);
    expect((await t.scim.get(`/Groups/${group.id}?attributes=members.value`).expect(200)).body).toEqual({
      schemas: [GROUP_SCHEMA],
      id: group.id,
      members: [{ value: id }],
    });
    const res = (await t.scim.get(`/Groups/${group.id}?excludedAttributes=members.display,meta`).expect(200)).body;
    expect(res.members).toEqual([{ value: id, $ref: expect.any(String), type: "User" }]);
    expect(res.meta).toBeUndefined();
  });

  it("filters on members.value, externalId, displayName and meta.lastModified, and pages the list", async () => {
    const a = await createGroup({ externalId: "ext-A" });
    const b = await createGroup();
    const [member] = await fill(b.id, 1);
    const q = (f: string, extra = "") =>
      t.scim.get(`/Groups?filter=${encodeURIComponent(f)}&excludedAttributes=members${extra}`).expect(200);
    expect((await q(`members.value eq "${member}"`)).body.Resources.map((g: Json) => g.id)).toEqual([b.id]);
    expect((await q(`members[value eq "${member.toUpperCase()}"]`)).body.Resources.map((g: Json) => g.id)).toEqual([
      b.id,
    ]);
    expect((await q(`members.value eq "not-a-uuid"`)).body.totalResults).toBe(0);
    expect((await q(`externalId eq "ext-A"`)).body.Resources.map((g: Json) => g.id)).toEqual([a.id]);
    expect(
      (
        await q(`meta.lastModified ge "${a.meta.lastModified}" and displayName eq "${b.displayName}"`)
      ).body.Resources.map((g: Json) => g.id),
    ).toEqual([b.id]);
    const page = (await q(`displayName sw "Group"`, "&startIndex=2&count=1&sortBy=displayName")).body;
    expect(page).toMatchObject({ schemas: [LIST_URN], startIndex: 2, itemsPerPage: 1 });
    expect(page.totalResults).toBeGreaterThanOrEqual(2);
    expectScimError(await t.scim.get(`/Groups?filter=${encodeURIComponent('members.nickName eq "x"')}`), 400);
  });

  it("POST /Groups/.search takes the same parameters in the body", async () => {
    const g = await createGroup();
    const res = await t.scim
      .post("/Groups/.search", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        filter: `displayName eq "${g.displayName}"`,
        excludedAttributes: ["members"],
      })
      .expect(200);
    expect(res.body.Resources).toEqual([expect.objectContaining({ id: g.id, displayName: g.displayName })]);
    expect(res.body.Resources[0].members).toBeUndefined();
  });
});

describe("User.groups", () => {
  it("lists direct memberships with display and $ref, and filters with groups.value eq", async () => {
    const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const other = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const group = await createGroup();
    await t.scim
      .patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }))
      .expect(204);
    const read = (await t.scim.get(`/Users/${user.id}`).expect(200)).body;
    expect(read.groups).toEqual([
      {
        value: group.id,
        display: group.displayName,
        $ref: expect.stringMatching(new RegExp(`/scim/v2/Groups/${group.id}$`)),
      },
    ]);
    const found = (await t.scim.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}`).expect(200))
      .body;
    expect(found.Resources.map((u: Json) => u.id)).toEqual([user.id]);
    const notIn = (
      await t.scim
        .get(`/Users?filter=${encodeURIComponent(`not (groups.value eq "${group.id}") and id eq "${other.id}"`)}`)
        .expect(200)
    ).body;
    expect(notIn.totalResults).toBe(1);
  });

  it("is read-only: a PATCH or PUT of the user keeps the memberships, and a PATCH still works on a member", async () => {
    const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const group = await createGroup();
    await t.scim
      .patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }))
      .expect(204);
    const patched = (
      await t.scim
        .patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: "New Name" }))
        .expect(200)
    ).body;
    expect(patched.groups).toHaveLength(1);
    await t.scim
      .put(`/Users/${user.id}`, buildScimUser({ userName: user.userName, displayName: "New Name", groups: [] }))
      .expect(200);
    const members = (await t.scim.get(`/Groups/${group.id}`).expect(200)).body.members;
    expect(members).toEqual([expect.objectContaining({ value: user.id, display: "New Name" })]);
  });
});

describe("root /.search and discovery", () => {
  it("searches Users and Groups as one list; meta.resourceType picks one type", async () => {
    const group = await createGroup();
    const user = (await t.scim.post("/Users", buildScimUser({ displayName: group.displayName })).expect(201)).body;
    const body = (filter: string) => ({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter,
      excludedAttributes: ["members"],
    });
    const both = (await t.scim.post("/.search", body(`displayName eq "${group.displayName}"`)).expect(200)).body;
    expect(both.totalResults).toBe(2);
    expect(both.Resources.map((r: Json) => r.meta.resourceType)).toEqual(["User", "Group"]);
    expect(both.Resources.map((r: Json) => r.id)).toEqual([user.id, group.id]);
    const second = (
      await t.scim
        .post("/.search", { ...body(`displayName eq "${group.displayName}"`), startIndex: 2, count: 1 })
        .expect(200)
    ).body;
    expect(second).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 });
    expect(second.Resources[0].id).toBe(group.id);
    const groupsOnly = (
      await t.scim
        .post("/.search", body(`meta.resourceType eq "Group" and displayName eq "${group.displayName}"`))
        .expect(200)
    ).body;
    expect(groupsOnly.Resources.map((r: Json) => r.id)).toEqual([group.id]);
    const usersOnly = (await t.scim.post("/.search", body(`userName eq "${user.userName}"`)).expect(200)).body;
    expect(usersOnly.Resources.map((r: Json) => r.id)).toEqual([user.id]);
    expectScimError(await t.scim.post("/.search", body('nonsense eq "x"')), 400);
  });

  it("/ResourceTypes and /Schemas list the Group resource type and schema; /Me stays 501", async () => {
    const types = (await t.scim.get("/ResourceTypes").expect(200)).body;
    expect(types.Resources.map((r: Json) => r.name)).toEqual(expect.arrayContaining(["User", "Group"]));
    expect(types.Resources.find((r: Json) => r.name === "Group")).toMatchObject({
      endpoint: "/Groups",
      schema: GROUP_SCHEMA,
    });
    const schemas = (await t.scim.get("/Schemas").expect(200)).body;
    expect(schemas.Resources.map((s: Json) => s.id)).toContain(GROUP_SCHEMA);
    expectScimError(await t.scim.get("/Me"), 501);
  });
});
