import { startTestApp, type TestApp } from "../support/app";
import { person } from "../support/admin-fixtures";
import { patchOp } from "../support/factories";
import { allPages, memberIds, scimGroup } from "../support/group-fixtures";

/** /admin/v1/groups: browsing groups and their members, and admins' member changes (audited like SCIM's). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].count);
const UNKNOWN = "00000000-0000-4000-8000-00000000beef";

async function seedUsers(n: number, prefix: string): Promise<string[]> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, display_name, emails, source) SELECT $2 || g || '@x.test', 'Seed ' || g, jsonb_build_array(jsonb_build_object('value', $2 || g || '@x.test', 'primary', true)), 'scim'
     FROM generate_series(1, $1::int) g RETURNING id`,
    [n, prefix],
  );
  return rows.map((r: { id: string }) => r.id);
}

async function addViaScim(groupId: string, ids: string[]) {
  await t.scim
    .patch(`/Groups/${groupId}`, patchOp({ op: "add", path: "members", value: ids.map((value) => ({ value })) }))
    .expect(204);
}

describe("GET /admin/v1/groups", () => {
  let names: string[];
  beforeAll(async () => {
    names = ["Alpha 100%", "alpha_beta", "Beta", "Gamma Ray", "ALPHABET", "Delta", "epsilon", "Zeta"];
    for (const n of names) await scimGroup(t, n);
  });

  it("lists every group in displayName order (case-insensitive), pages by cursor without duplicates or losses", async () => {
    const { items, pages } = await allPages(
      async (cursor) => (await t.admin.get(`/groups?limit=3${cursor ? `&cursor=${cursor}` : ""}`).expect(200)).body,
    );
    expect(pages).toBe(3);
    // The order is the database's collation of lower(displayName), whatever locale the cluster was made with.
    const expected = (await t.ds.query("SELECT display_name FROM groups ORDER BY lower(display_name)")).map(
      (r: { display_name: string }) => r.display_name,
    );
    expect(items.map((g: { displayName: string }) => g.displayName)).toEqual(expected);
    expect(new Set(items.map((g: { id: string }) => g.id)).size).toBe(names.length);
  });

  it("a page cut exactly at the end says so (nextCursor null), and limit bounds are enforced", async () => {
    const all = (await t.admin.get("/groups?limit=8").expect(200)).body;
    expect(all.items).toHaveLength(8);
    expect(all.nextCursor).toBeNull();
    expect((await t.admin.get("/groups?limit=0").expect(400)).body.field).toBe("limit");
    expect((await t.admin.get("/groups?limit=201").expect(400)).body.field).toBe("limit");
    expect((await t.admin.get("/groups?limit=ten").expect(400)).body.field).toBe("limit");
  });

  it("keeps paging right while groups are added before and after the cursor", async () => {
    const first = (await t.admin.get("/groups?limit=4").expect(200)).body;
    const early = await scimGroup(t, "AAA early");
    const late = await scimGroup(t, "zzz late");
    const rest = await allPages(
      async (cursor) => (await t.admin.get(`/groups?limit=4&cursor=${cursor ?? first.nextCursor}`).expect(200)).body,
    );
    const seen = [...first.items, ...rest.items].map((g: { id: string }) => g.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(late);
    expect(seen).not.toContain(early);
    await t.scim.delete(`/Groups/${early}`).expect(204);
    await t.scim.delete(`/Groups/${late}`).expect(204);
  });

  it("searches displayName case-insensitively with q; % and _ are plain characters", async () => {
    const names = async (q: string) =>
      (await t.admin.get(`/groups?q=${encodeURIComponent(q)}`).expect(200)).body.items
        .map((g: { displayName: string }) => g.displayName)
        .sort();
    expect(await names("alpha")).toEqual(["ALPHABET", "Alpha 100%", "alpha_beta"]);
    expect(await names("BET")).toEqual(["ALPHABET", "Beta", "alpha_beta"]);
    expect(await names("%")).toEqual(["Alpha 100%"]);
    expect(await names("_")).toEqual(["alpha_beta"]);
    expect(await names("nothing like it")).toEqual([]);
    const paged = await allPages(
      async (cursor) => (await t.admin.get(`/groups?q=a&limit=2${cursor ? `&cursor=${cursor}` : ""}`).expect(200)).body,
    );
    expect(paged.items.map((g: { displayName: string }) => g.displayName).sort()).toEqual(await names("a"));
    expect(paged.items).toHaveLength(7); // every name but "epsilon"
  });

  it("counts each group's members", async () => {
    const g = await scimGroup(t, "Counted");
    await addViaScim(g, await seedUsers(7, "counted"));
    const listed = (await t.admin.get("/groups?q=counted").expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: g, displayName: "Counted", memberCount: 7 })]);
  });

  it("refuses a cursor it did not make and unknown parameters, by field", async () => {
    expect((await t.admin.get("/groups?cursor=bm90LWpzb24").expect(400)).body).toMatchObject({
      code: "invalid_value",
      field: "cursor",
    });
    expect((await t.admin.get("/groups?cursor=%7B%7D").expect(400)).body.field).toBe("cursor");
    expect((await t.admin.get("/groups?sort=name").expect(400)).body.code).toBe("invalid_request");
  });
});

describe("GET /admin/v1/groups/{id}", () => {
  it("shows the group with its member count and version (ETag)", async () => {
    const g = await scimGroup(t, "Detail Group");
    await t.scim.patch(`/Groups/${g}`, patchOp({ op: "replace", path: "externalId", value: "ext-42" })).expect(204);
    await addViaScim(g, await seedUsers(3, "detail"));
    const res = await t.admin.get(`/groups/${g}`).expect(200);
    expect(res.body).toEqual({
      id: g,
      displayName: "Detail Group",
      externalId: "ext-42",
      memberCount: 3,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 3,
    });
    expect(res.headers.etag).toBe('W/"3"');
    expect(new Date(res.body.updatedAt) >= new Date(res.body.createdAt)).toBe(true);
  });

  it("answers 404 for an unknown id and for a non-uuid", async () => {
    expect((await t.admin.get(`/groups/${UNKNOWN}`).expect(404)).body.code).toBe("not_found");
    await t.admin.get("/groups/not-a-uuid").expect(404);
    await t.admin.get(`/groups/${UNKNOWN}/members`).expect(404);
  });
});

describe("GET /admin/v1/groups/{id}/members", () => {
  it("pages through every member once, in id order, with their summary", async () => {
    const g = await scimGroup(t);
    const ids = await seedUsers(23, "paged");
    await addViaScim(g, ids);
    const { items, pages } = await allPages(
      async (cursor) =>
        (await t.admin.get(`/groups/${g}/members?limit=5${cursor ? `&cursor=${cursor}` : ""}`).expect(200)).body,
    );
    expect(pages).toBe(5);
    expect(items.map((m: { id: string }) => m.id)).toEqual([...ids].sort());
    expect(items[0]).toEqual({
      id: expect.any(String),
      userName: expect.stringMatching(/^paged\d+@x\.test$/),
      displayName: expect.stringMatching(/^Seed /),
      givenName: null,
      familyName: null,
      email: expect.stringMatching(/@x\.test$/),
      active: true,
      entity: null,
      addedAt: expect.any(String),
    });
  });

  it("a member removed between two pages is not repeated nor does it shift the next page", async () => {
    const g = await scimGroup(t);
    const ids = (await seedUsers(10, "shift")).sort();
    await addViaScim(g, ids);
    const first = (await t.admin.get(`/groups/${g}/members?limit=4`).expect(200)).body;
    await t.scim.patch(`/Groups/${g}`, patchOp({ op: "remove", path: `members[value eq "${ids[1]}"]` })).expect(204);
    const second = (await t.admin.get(`/groups/${g}/members?limit=4&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items.map((m: { id: string }) => m.id)).toEqual(ids.slice(4, 8));
  });

  it("an empty group has an empty first page", async () => {
    const g = await scimGroup(t);
    expect((await t.admin.get(`/groups/${g}/members`).expect(200)).body).toEqual({
      items: [],
      nextCursor: null,
      limit: 50,
    });
  });
});

describe("POST /admin/v1/groups/{id}/members and DELETE /admin/v1/groups/{id}/members/{userId}", () => {
  it("adds people, reporting who was already a member; audited and queued as a SCIM PATCH's are", async () => {
    const g = await scimGroup(t);
    const [a, b, c] = [await person(t), await person(t), await person(t)];
    await addViaScim(g, [a.id]);
    const res = await t.admin.post(`/groups/${g}/members`, { ids: [a.id, b.id, c.id, b.id] }).expect(200);
    expect(res.body).toEqual({ groupId: g, version: 3, added: [b.id, c.id], alreadyMembers: [a.id] });
    expect(res.headers.etag).toBe('W/"3"');
    expect(await memberIds(t, g)).toEqual([a.id, b.id, c.id].sort());
    const audit = await t.ds.query(
      "SELECT door, changes FROM audit_events WHERE target_id = $1 AND action = 'membership.added' ORDER BY id",
      [g],
    );
    expect(audit[1]).toEqual({ door: "admin", changes: { members: [b.id, c.id].sort() } });
    expect(
      await count(
        "SELECT count(*) FROM events WHERE type = 'membership.added' AND subject_id = $1 AND door = 'admin'",
        [g],
      ),
    ).toBe(1);
    // Adding only members already there changes nothing: no version, no audit.
    const again = await t.admin.post(`/groups/${g}/members`, { ids: [a.id] }).expect(200);
    expect(again.body).toMatchObject({ version: 3, added: [], alreadyMembers: [a.id] });
    expect(
      await count("SELECT count(*) FROM audit_events WHERE target_id = $1 AND action = 'membership.added'", [g]),
    ).toBe(2);
  });

  it("is strict: one id naming no live person refuses the whole request (404), adding no one", async () => {
    const g = await scimGroup(t);
    const a = await person(t);
    const removed = (
      await t.scim
        .post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "gone.person@x.test" })
        .expect(201)
    ).body.id;
    await t.scim.delete(`/Users/${removed}`).expect(204);
    for (const bad of [UNKNOWN, removed, g]) {
      const res = await t.admin.post(`/groups/${g}/members`, { ids: [a.id, bad] }).expect(404);
      expect(res.body).toMatchObject({ code: "not_found", detail: expect.stringContaining(bad) });
    }
    expect(await memberIds(t, g)).toEqual([]);
    expect(
      await count("SELECT count(*) FROM audit_events WHERE target_id = $1 AND action LIKE 'membership.%'", [g]),
    ).toBe(0);
  });

  it("refuses bad bodies by field and unknown groups with 404", async () => {
    const g = await scimGroup(t);
    const a = await person(t);
    expect((await t.admin.post(`/groups/${g}/members`, { ids: [] }).expect(400)).body.field).toBe("ids");
    expect((await t.admin.post(`/groups/${g}/members`, { ids: [a.id, "x"] }).expect(400)).body.field).toBe("ids[1]");
    expect((await t.admin.post(`/groups/${g}/members`, { members: [a.id] }).expect(400)).body.code).toBe(
      "invalid_request",
    );
    await t.admin.post(`/groups/${UNKNOWN}/members`, { ids: [a.id] }).expect(404);
  });

  it("honours If-Match on member changes (412 when the group moved on)", async () => {
    const g = await scimGroup(t);
    const [a, b] = [await person(t), await person(t)];
    expect(
      (
        await t.admin
          .post(`/groups/${g}/members`, { ids: [a.id] })
          .set("If-Match", 'W/"7"')
          .expect(412)
      ).body.code,
    ).toBe("version_mismatch");
    await t.admin
      .post(`/groups/${g}/members`, { ids: [a.id] })
      .set("If-Match", 'W/"1"')
      .expect(200);
    await t.admin.delete(`/groups/${g}/members/${a.id}`).set("If-Match", 'W/"1"').expect(412);
    await t.admin
      .post(`/groups/${g}/members`, { ids: [b.id] })
      .set("If-Match", 'W/"2"')
      .expect(200);
  });

  it("removes one person (membership.removed audited and queued); someone not a member is 404", async () => {
    const g = await scimGroup(t);
    const [a, b] = [await person(t), await person(t)];
    await t.admin.post(`/groups/${g}/members`, { ids: [a.id, b.id] }).expect(200);
    await t.admin.delete(`/groups/${g}/members/${a.id}`).expect(204);
    expect(await memberIds(t, g)).toEqual([b.id]);
    const audit = await t.ds.query(
      "SELECT door, changes FROM audit_events WHERE target_id = $1 AND action = 'membership.removed'",
      [g],
    );
    expect(audit).toEqual([{ door: "admin", changes: { members: [a.id] } }]);
    expect(await count("SELECT count(*) FROM events WHERE type = 'membership.removed' AND subject_id = $1", [g])).toBe(
      1,
    );
    await t.admin.delete(`/groups/${g}/members/${a.id}`).expect(404);
    await t.admin.delete(`/groups/${g}/members/${UNKNOWN}`).expect(404);
    await t.admin.delete(`/groups/${UNKNOWN}/members/${b.id}`).expect(404);
    await t.admin.delete(`/groups/${g}/members/not-a-uuid`).expect(404);
    expect((await t.admin.get(`/groups/${g}`).expect(200)).body).toMatchObject({ memberCount: 1, version: 3 });
  });

  it("auditors read groups and members but change nothing (403 read_only)", async () => {
    const g = await scimGroup(t, "Audited Space");
    const a = await person(t);
    await t.admin.post(`/groups/${g}/members`, { ids: [a.id] }).expect(200);
    const auditor = t.adminAs(await t.token("auditor"));
    expect((await auditor.get("/groups?q=audited").expect(200)).body.items).toHaveLength(1);
    await auditor.get(`/groups/${g}`).expect(200);
    expect((await auditor.get(`/groups/${g}/members`).expect(200)).body.items.map((m: { id: string }) => m.id)).toEqual(
      [a.id],
    );
    const b = await person(t);
    expect((await auditor.post(`/groups/${g}/members`, { ids: [b.id] }).expect(403)).body.code).toBe("read_only");
    expect((await auditor.delete(`/groups/${g}/members/${a.id}`).expect(403)).body.code).toBe("read_only");
    expect(await memberIds(t, g)).toEqual([a.id]);
  });
});
