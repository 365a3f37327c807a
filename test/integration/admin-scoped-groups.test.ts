import { startTestApp, type TestApp } from "../support/app";
import { entity, person, personBody, scopedAdmin } from "../support/admin-fixtures";
import { patchOp } from "../support/factories";
import { memberIds, scimGroup } from "../support/group-fixtures";

/** Group memberships given when people are created by hand, and shown in the person view. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].count);
const UNKNOWN = "00000000-0000-4000-8000-00000000abcd";

describe("POST /admin/v1/users with groups", () => {
  it("creates the person and their memberships together, audited and queued like a SCIM group PATCH", async () => {
    const [sales, paris] = [await scimGroup(t, "Sales Team"), await scimGroup(t, "Paris Office")];
    const res = await t.admin.post("/users", personBody({ groups: [sales, paris] })).expect(201);
    expect(res.body.groups).toEqual(
      expect.arrayContaining([
        { id: sales, displayName: "Sales Team" },
        { id: paris, displayName: "Paris Office" },
      ]),
    );
    expect(res.body.groups).toHaveLength(2);
    expect(await memberIds(t, sales)).toEqual([res.body.id]);
    expect(await memberIds(t, paris)).toEqual([res.body.id]);
    for (const group of [sales, paris]) {
      const audit = await t.ds.query(
        "SELECT door, changes, request_id FROM audit_events WHERE target_id = $1 AND action = 'membership.added'",
        [group],
      );
      expect(audit).toEqual([expect.objectContaining({ door: "admin", changes: { members: [res.body.id] } })]);
      const events = await t.ds.query(
        "SELECT data, door FROM events WHERE type = 'membership.added' AND subject_id = $1",
        [group],
      );
      expect(events).toEqual([
        { data: expect.objectContaining({ groupId: group, userIds: [res.body.id] }), door: "admin" },
      ]);
    }
    // The user's creation and the memberships share the request id: one use case.
    const requestIds = await t.ds.query(
      "SELECT DISTINCT request_id FROM audit_events WHERE target_id = ANY($1::text[]) AND action <> 'group.created'",
      [[res.body.id, sales, paris]],
    );
    expect(requestIds).toHaveLength(1);
    // The groups' version and lastModified moved on, as for any member change.
    expect((await t.scim.get(`/Groups/${sales}?excludedAttributes=members`).expect(200)).body.meta.version).toBe(
      'W/"2"',
    );
  });

  it("refuses an unknown group id naming its position, and creates nothing: no person, no membership, no audit, no event", async () => {
    const sales = await scimGroup(t);
    const body = personBody({ groups: [sales, UNKNOWN] });
    const before = {
      users: await count("SELECT count(*) FROM users"),
      audit: await count("SELECT count(*) FROM audit_events"),
      events: await count("SELECT count(*) FROM events"),
      outbox: await count("SELECT count(*) FROM outbox"),
    };
    const res = await t.admin.post("/users", body).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: "invalid_value",
      field: "groups[1]",
      detail: expect.stringContaining(UNKNOWN),
    });
    expect(await count("SELECT count(*) FROM users")).toBe(before.users);
    expect(await count("SELECT count(*) FROM audit_events")).toBe(before.audit);
    expect(await count("SELECT count(*) FROM events")).toBe(before.events);
    expect(await count("SELECT count(*) FROM outbox")).toBe(before.outbox);
    expect(await memberIds(t, sales)).toEqual([]);
    // The same person with good groups is then created (nothing was left half-written, the email is free).
    await t.admin.post("/users", { ...body, groups: [sales] }).expect(201);
  });

  it("is one transaction: a membership write failing after the person's insert leaves no person, no audit, no event", async () => {
    const [ok, failing] = [await scimGroup(t), await scimGroup(t)];
    // A real fault inside PostgreSQL, raised by the second group's member insert, after the user row is written.
    await t.ds.query(`CREATE OR REPLACE FUNCTION test_refuse_member() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.group_id = '${failing}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await t.ds.query(
      "CREATE TRIGGER test_refuse_member BEFORE INSERT ON group_members FOR EACH ROW EXECUTE FUNCTION test_refuse_member()",
    );
    try {
      const body = personBody({ groups: [ok, failing] });
      const before = {
        audit: await count("SELECT count(*) FROM audit_events"),
        events: await count("SELECT count(*) FROM events"),
        outbox: await count("SELECT count(*) FROM outbox"),
      };
      expect((await t.admin.post("/users", body).expect(500)).body.code).toBe("internal");
      expect(
        await count("SELECT count(*) FROM users WHERE roster_lower_values(emails) @> ARRAY[lower($1)]", [body.email]),
      ).toBe(0);
      expect(await memberIds(t, ok)).toEqual([]);
      expect(await count("SELECT count(*) FROM audit_events")).toBe(before.audit);
      expect(await count("SELECT count(*) FROM events")).toBe(before.events);
      expect(await count("SELECT count(*) FROM outbox")).toBe(before.outbox);
    } finally {
      await t.ds.query("DROP TRIGGER test_refuse_member ON group_members");
      await t.ds.query("DROP FUNCTION test_refuse_member()");
    }
  });

  it("refuses a group id that is not a uuid by field (400 invalid_request), and a user id passed as a group", async () => {
    const sales = await scimGroup(t);
    expect((await t.admin.post("/users", personBody({ groups: [sales, "sales"] })).expect(400)).body).toMatchObject({
      code: "invalid_request",
      field: "groups[1]",
    });
    const someone = await person(t);
    expect((await t.admin.post("/users", personBody({ groups: [someone.id] })).expect(400)).body).toMatchObject({
      field: "groups[0]",
    });
  });

  it("rolls the memberships back with the person when the person is refused (a taken email)", async () => {
    const sales = await scimGroup(t);
    const existing = await person(t);
    await t.admin.post("/users", personBody({ email: existing.email, groups: [sales] })).expect(409);
    expect(await memberIds(t, sales)).toEqual([]);
    expect(await count("SELECT count(*) FROM audit_events WHERE target_id = $1", [sales])).toBe(1); // group.created only
  });

  it("takes a group listed twice once", async () => {
    const sales = await scimGroup(t);
    const res = await t.admin.post("/users", personBody({ groups: [sales, sales.toUpperCase()] })).expect(201);
    expect(res.body.groups).toEqual([{ id: sales, displayName: expect.any(String) }]);
    expect(
      await count("SELECT count(*) FROM audit_events WHERE target_id = $1 AND action = 'membership.added'", [sales]),
    ).toBe(1);
  });

  it("lets an admin limited to some entities create people of their entities into any group", async () => {
    const site = await entity(t, "Affil-site");
    const scoped = await scopedAdmin(t, [site]);
    const sales = await scimGroup(t);
    const res = await scoped.client.post("/users", personBody({ entityId: site, groups: [sales] })).expect(201);
    expect(await memberIds(t, sales)).toEqual([res.body.id]);
  });

  it("makes every one of many people created at once into one group a member (the group lock queues them)", async () => {
    const crowd = await scimGroup(t);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => t.admin.post("/users", personBody({ groups: [crowd] }))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(await memberIds(t, crowd)).toEqual(results.map((r) => r.body.id).sort());
    expect((await t.scim.get(`/Groups/${crowd}?excludedAttributes=members`).expect(200)).body.meta.version).toBe(
      'W/"13"',
    );
  });
});

describe("POST /admin/v1/users/batch with groups", () => {
  it("puts every created line into the shared groups, each in its line's transaction", async () => {
    const [a, b] = [await scimGroup(t), await scimGroup(t)];
    const existing = await person(t);
    const res = await t.admin
      .post("/users/batch", {
        emails: ["ada.byron@corp.test", "not-an-email", existing.email, "alan.kay@corp.test"],
        groups: [a, b],
      })
      .expect(200);
    expect(res.body.summary).toEqual({ created: 2, exists: 1, invalid: 1, duplicate: 0 });
    const created = res.body.results
      .filter((r: { status: string }) => r.status === "created")
      .map((r: { id: string }) => r.id)
      .sort();
    expect(await memberIds(t, a)).toEqual(created);
    expect(await memberIds(t, b)).toEqual(created);
    expect(
      await count("SELECT count(*) FROM audit_events WHERE target_id = $1 AND action = 'membership.added'", [a]),
    ).toBe(2);
    const view = (await t.admin.get(`/users/${created[0]}`).expect(200)).body;
    expect(view.groups.map((g: { id: string }) => g.id).sort()).toEqual([a, b].sort());
  });

  it("checks the shared groups once, before any line: an unknown one refuses the whole batch by field", async () => {
    const a = await scimGroup(t);
    const before = await count("SELECT count(*) FROM users");
    const res = await t.admin
      .post("/users/batch", { emails: ["grace.murray@corp.test", "edsger.dijkstra@corp.test"], groups: [a, UNKNOWN] })
      .expect(400);
    expect(res.body).toMatchObject({ code: "invalid_value", field: "groups[1]" });
    expect(await count("SELECT count(*) FROM users")).toBe(before);
    expect(await memberIds(t, a)).toEqual([]);
  });

  it("reads groups from the query string with text/plain or a bare list (comma-separated)", async () => {
    const [a, b] = [await scimGroup(t), await scimGroup(t)];
    const res = await t.admin.post(`/users/batch?groups=${a},${b}`, ["barbara.liskov@corp.test"]).expect(200);
    expect(res.body.summary.created).toBe(1);
    expect(await memberIds(t, a)).toEqual([res.body.results[0].id]);
    expect(await memberIds(t, b)).toEqual([res.body.results[0].id]);
    expect((await t.admin.post("/users/batch?groups=nope", ["frances.allen@corp.test"]).expect(400)).body.field).toBe(
      "groups[0]",
    );
  });
});

describe("GET /admin/v1/users/{id}: groups", () => {
  it("shows the person's direct groups, whichever door made them members", async () => {
    const p = await person(t);
    expect((await t.admin.get(`/users/${p.id}`).expect(200)).body.groups).toEqual([]);
    const g = await scimGroup(t, "Zeta Space");
    await t.scim.patch(`/Groups/${g}`, patchOp({ op: "add", path: "members", value: [{ value: p.id }] })).expect(204);
    expect((await t.admin.get(`/users/${p.id}`).expect(200)).body.groups).toEqual([
      { id: g, displayName: "Zeta Space" },
    ]);
    await t.admin.delete(`/groups/${g}/members/${p.id}`).expect(204);
    expect((await t.admin.get(`/users/${p.id}`).expect(200)).body.groups).toEqual([]);
  });
});
