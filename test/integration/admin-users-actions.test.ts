import { startTestApp, type TestApp } from "../support/app";
import { seedEntity, seedPerson } from "../support/people";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ADMIN_ACTIONS_SYNC_MAX: "20" });
});
afterAll(async () => t.close());

const user = async (id: string) =>
  (
    await t.ds.query(
      "SELECT active, system_role, admin_scope, entity_id, invited_at, version FROM users WHERE id = $1",
      [id],
    )
  )[0];
const audits = async (id: string) =>
  (await t.ds.query("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id", [id])).map(
    (r: { action: string }) => r.action,
  );
const events = async (topic: string, id: string) =>
  Number(
    (await t.ds.query("SELECT count(*) FROM outbox WHERE topic = $1 AND payload->>'userId' = $2", [topic, id]))[0]
      .count,
  );
const UNKNOWN = "00000000-0000-4000-8000-00000000dead";

describe("POST /admin/v1/users/actions: disable and enable", () => {
  it("deactivates each user in its own write, audited, and reports a result per user", async () => {
    const a = await seedPerson(t.ds);
    const b = await seedPerson(t.ds, { active: false });
    const res = await t.admin
      .post("/users/actions", { action: "disable", ids: [a.id, b.id, UNKNOWN, a.id.toUpperCase()] })
      .expect(200);
    expect(res.body).toEqual({
      action: "disable",
      jobId: expect.any(String),
      total: 3,
      done: 1,
      skipped: 1,
      failed: 0,
      notFound: 1,
      results: [
        { id: a.id, outcome: "done" },
        { id: b.id, outcome: "skipped", reason: "already_disabled" },
        { id: UNKNOWN, outcome: "not_found" },
      ],
    });
    expect((await user(a.id)).active).toBe(false);
    expect(await audits(a.id)).toEqual(["user.deactivated"]);
    expect(await events("user.deactivated", a.id)).toBe(1);
    expect(await audits(b.id)).toEqual([]);
  });

  it("keeps every datum and role, so enabling restores exactly the rights held before", async () => {
    const france = await seedEntity(t.ds, "France");
    const admin = await seedPerson(t.ds, { role: "admin", adminScope: [france], entityId: france });
    const colleague = await seedPerson(t.ds, { entityId: france });
    const client = t.adminAs(await t.token("admin", admin.userName));
    const before = await user(admin.id);
    const seenBefore = (await client.get("/users?sort=createdAt").expect(200)).body.items.map(
      (i: { id: string }) => i.id,
    );
    expect(seenBefore).toEqual([admin.id, colleague.id]);

    await t.admin.post("/users/actions", { action: "disable", ids: [admin.id] }).expect(200);
    expect((await client.get("/users").expect(403)).body.code).toBe("account_disabled");
    expect(await user(admin.id)).toMatchObject({
      active: false,
      system_role: "admin",
      admin_scope: [france],
      entity_id: france,
    });

    const res = await t.admin.post("/users/actions", { action: "enable", ids: [admin.id] }).expect(200);
    expect(res.body.results).toEqual([{ id: admin.id, outcome: "done" }]);
    expect(await user(admin.id)).toMatchObject({ ...before, version: before.version + 2 });
    expect((await client.get("/users?sort=createdAt").expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual(
      seenBefore,
    );
    expect(await audits(admin.id)).toEqual(["user.deactivated", "user.reactivated"]);
  });

  it("never lets an admin disable themselves by a mass action", async () => {
    const admin = await seedPerson(t.ds, { role: "admin" });
    const res = await t
      .adminAs(await t.token("admin", admin.userName))
      .post("/users/actions", { action: "disable", ids: [admin.id] })
      .expect(200);
    expect(res.body.results).toEqual([{ id: admin.id, outcome: "skipped", reason: "cannot_disable_self" }]);
    expect((await user(admin.id)).active).toBe(true);
  });

  it("selects by a search filter", async () => {
    const csv = [
      await seedPerson(t.ds, { source: "csv", familyName: "Filtré" }),
      await seedPerson(t.ds, { source: "csv", familyName: "Filtré" }),
    ];
    const other = await seedPerson(t.ds, { source: "scim", familyName: "Filtré" });
    const res = await t.admin
      .post("/users/actions", { action: "disable", filter: { q: "filtre", source: ["csv"] } })
      .expect(200);
    expect(res.body.results.map((r: { id: string }) => r.id).sort()).toEqual(csv.map((u) => u.id).sort());
    expect((await user(other.id)).active).toBe(true);
    // The same filter in query-string form works in a body too.
    const again = await t.admin
      .post("/users/actions", { action: "enable", filter: { q: "filtre", source: "csv", external: "false" } })
      .expect(200);
    expect(again.body.done).toBe(2);
  });
});

describe("POST /admin/v1/users/actions: invite", () => {
  it("queues invitation.requested and sets invited_at; an enrolled or deactivated user is skipped", async () => {
    const fresh = await seedPerson(t.ds);
    const invitedBefore = await seedPerson(t.ds, { invitedAt: new Date(Date.now() - 86_400_000) });
    const enrolled = await seedPerson(t.ds, { enrolledAt: new Date() });
    const off = await seedPerson(t.ds, { active: false });
    const res = await t.admin
      .post("/users/actions", { action: "invite", ids: [fresh.id, invitedBefore.id, enrolled.id, off.id] })
      .expect(200);
    expect(res.body.results).toEqual([
      { id: fresh.id, outcome: "done" },
      { id: invitedBefore.id, outcome: "done" },
      { id: enrolled.id, outcome: "skipped", reason: "already_joined" },
      { id: off.id, outcome: "skipped", reason: "user_inactive" },
    ]);
    const f = await user(fresh.id);
    expect(f.invited_at).toBeInstanceOf(Date);
    expect(f.version).toBe(1);
    expect(await events("invitation.requested", fresh.id)).toBe(1);
    expect(await events("invitation.requested", enrolled.id)).toBe(0);
    expect(await audits(fresh.id)).toEqual(["user.invited"]);
    const [payload] = await t.ds.query(
      "SELECT payload FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1",
      [invitedBefore.id],
    );
    expect(payload.payload).toMatchObject({
      userId: invitedBefore.id,
      invitationId: expect.any(String),
      door: "admin",
    });
  });
});

describe("POST /admin/v1/users/actions: entity scope", () => {
  it("treats users beyond a scoped admin's entities as not found, and leaves them unchanged", async () => {
    const mine = await seedEntity(t.ds, "Mine");
    const theirs = await seedEntity(t.ds, "Theirs");
    const admin = await seedPerson(t.ds, { role: "admin", adminScope: [mine] });
    const inside = await seedPerson(t.ds, { entityId: mine, familyName: "Scoped" });
    const outside = await seedPerson(t.ds, { entityId: theirs, familyName: "Scoped" });
    const nowhere = await seedPerson(t.ds, { entityId: null, familyName: "Scoped" });
    const client = t.adminAs(await t.token("admin", admin.userName));
    for (const action of ["invite", "disable"]) {
      const res = await client.post("/users/actions", { action, ids: [inside.id, outside.id, nowhere.id] }).expect(200);
      expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(["done", "not_found", "not_found"]);
    }
    expect((await user(outside.id)).active).toBe(true);
    expect((await user(nowhere.id)).invited_at).toBeNull();
    const byFilter = await client.post("/users/actions", { action: "enable", filter: { q: "scoped" } }).expect(200);
    expect(byFilter.body.results).toEqual([{ id: inside.id, outcome: "done" }]);
  });
});

describe("POST /admin/v1/users/actions: bad requests change nothing", () => {
  it.each([
    [{ action: "delete", ids: [UNKNOWN] }, "action"],
    [{ action: "disable" }, "ids"],
    [{ action: "disable", ids: [UNKNOWN], filter: { status: "active" } }, "ids"],
    [{ action: "disable", ids: [] }, "ids"],
    [{ action: "disable", ids: [UNKNOWN, "bob"] }, "ids[1]"],
    [{ action: "disable", filter: {} }, "filter"],
    [{ action: "disable", filter: { q: "   " } }, "filter"],
    [{ action: "disable", filter: { includeSubEntities: true } }, "filter"],
    [{ action: "disable", filter: { status: "asleep" } }, "filter.status[0]"],
    [{ action: "disable", filter: { colour: "blue" } }, "filter.colour"],
    [{ action: "disable", ids: [UNKNOWN], extra: 1 }, "extra"],
    [[UNKNOWN], "body"],
  ])("%j -> 400 naming %s", async (body, field) => {
    const res = await t.admin.post("/users/actions", body).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.field).toBe(field);
  });

  it("refuses auditors (read-only)", async () => {
    const a = await seedPerson(t.ds);
    const res = await t
      .adminAs(await t.token("auditor"))
      .post("/users/actions", { action: "disable", ids: [a.id] })
      .expect(403);
    expect(res.body.code).toBe("read_only");
    expect((await user(a.id)).active).toBe(true);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await t.admin.post("/users/actions").set("Content-Type", "application/json").send("{nope").expect(400);
    expect(res.body.code).toBe("invalid_json");
  });
});
