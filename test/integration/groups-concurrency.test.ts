import { AuditChainService } from "../../src/domain/audit-log/audit-chain.service";
import { startTestApp, type TestApp } from "../support/app";
import { sealAudits } from "../support/audit";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function seedUsers(n: number): Promise<string[]> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, source) SELECT 'conc' || g || '.' || md5(random()::text) || '@x.test', 'scim' FROM generate_series(1, $1::int) g RETURNING id`,
    [n],
  );
  return rows.map((r: { id: string }) => r.id);
}

const createGroup = async () =>
  (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName("Race") }).expect(201)).body;
const memberCount = async (id: string) =>
  Number((await t.ds.query("SELECT count(*) FROM group_members WHERE group_id = $1", [id]))[0].count);

describe("concurrent group writes", () => {
  it("40 simultaneous PATCHes adding different members to one group lose nothing; version and audit agree", async () => {
    const ids = await seedUsers(400);
    const group = await createGroup();
    const batches = Array.from({ length: 40 }, (_, i) => ids.slice(i * 10, i * 10 + 10));
    const results = await Promise.all(
      batches.map((batch) =>
        t.scim.patch(
          `/Groups/${group.id}`,
          patchOp({ op: "add", path: "members", value: batch.map((value) => ({ value })) }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(204));
    expect(await memberCount(group.id)).toBe(400);
    const read = (await t.scim.get(`/Groups/${group.id}?excludedAttributes=members`).expect(200)).body;
    expect(read.meta.version).toBe('W/"41"');
    const added = await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action = 'membership.added' ORDER BY id",
      [group.id],
    );
    expect(added).toHaveLength(40);
    expect(added.flatMap((r: { changes: { members: string[] } }) => r.changes.members).sort()).toEqual([...ids].sort());
  });

  it("simultaneous adds and removes of overlapping members end in the state of some serial order", async () => {
    const ids = await seedUsers(20);
    const group = await createGroup();
    await t.scim
      .patch(
        `/Groups/${group.id}`,
        patchOp({ op: "add", path: "members", value: ids.slice(0, 10).map((value) => ({ value })) }),
      )
      .expect(204);
    await Promise.all([
      ...ids
        .slice(0, 10)
        .map((id) =>
          t.scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${id}"]` })).expect(204),
        ),
      ...ids
        .slice(10)
        .map((id) =>
          t.scim
            .patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: id }] }))
            .expect(204),
        ),
    ]);
    const rows = await t.ds.query("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", [group.id]);
    expect(rows.map((r: { user_id: string }) => r.user_id)).toEqual(ids.slice(10).sort());
  });

  it("20 simultaneous creates of one displayName (in varying case) make exactly one group; the rest get 409", async () => {
    const name = uniqueGroupName("Same");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: i % 2 ? name.toUpperCase() : name }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it("user DELETEs racing with group PATCHes that add those users neither deadlock nor leave a removed user in a group", async () => {
    const users = await Promise.all(
      Array.from(
        { length: 10 },
        async () => (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id as string,
      ),
    );
    const groups = await Promise.all(Array.from({ length: 3 }, createGroup));
    await t.scim
      .patch(
        `/Groups/${groups[0].id}`,
        patchOp({ op: "add", path: "members", value: users.map((value) => ({ value })) }),
      )
      .expect(204);
    const results = await Promise.all([
      ...users.map((id) => t.scim.delete(`/Users/${id}`)),
      ...groups.flatMap((g) =>
        users.map((id) =>
          t.scim.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: id }] })),
        ),
      ),
    ]);
    expect(results.filter((r) => r.status >= 300)).toEqual([]);
    const left = await t.ds.query(
      "SELECT count(*)::int AS n FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE u.removed_at IS NOT NULL",
    );
    expect(left[0].n).toBe(0);
  });
});

describe("audited transactions waiting on each other's row locks (the chain no longer serialises them)", () => {
  it("an audit record written before waiting for a user's row lock does not deadlock with the holder's own audit record", async () => {
    const [userId] = await seedUsers(1);
    const insertAudit =
      "INSERT INTO audit_events (actor_type, door, action, target_type, target_id) VALUES ('system', 'system', $1, 'user', $2)";
    const patch = t.ds.createQueryRunner();
    const del = t.ds.createQueryRunner();
    try {
      // A group PATCH's shape: an audit record first, then a share lock on the member.
      await patch.startTransaction();
      await patch.query(insertAudit, ["membership.added", userId]);
      // A user DELETE's shape: the user's row lock first, then its audit record.
      await del.startTransaction();
      await del.query("SELECT id FROM users WHERE id = $1 FOR UPDATE", [userId]);
      const waiting = patch.query("SELECT id FROM users WHERE id = $1 FOR SHARE", [userId]);
      // With the head locked by the PATCH's first audit record until its commit, this insert waited for it: a deadlock.
      await del.query(insertAudit, ["user.deleted", userId]);
      await del.commitTransaction();
      await waiting;
      await patch.commitTransaction();
    } finally {
      await patch.release();
      await del.release();
    }
    // Both committed before one seal: chained in id order.
    await sealAudits(t.ds);
    expect(
      await t.ds.query(
        "SELECT a.action FROM audit_events a JOIN audit_seals s ON s.id = a.id WHERE a.target_id = $1 ORDER BY s.seq",
        [userId],
      ),
    ).toEqual([{ action: "membership.added" }, { action: "user.deleted" }]);
  });

  it("group PATCHes and user DELETEs in a loop, concurrently: every request succeeds and the chain stays one line", async () => {
    const group = await createGroup();
    for (let round = 0; round < 15; round++) {
      const users = await Promise.all(
        Array.from(
          { length: 3 },
          async () => (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id as string,
        ),
      );
      const results = await Promise.all([
        t.scim.patch(
          `/Groups/${group.id}`,
          patchOp({ op: "add", path: "members", value: users.map((value) => ({ value })) }),
        ),
        ...users.map((id) => t.scim.delete(`/Users/${id}`)),
        t.scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${users[0]}"]` })),
      ]);
      expect(results.filter((r) => r.status >= 300).map((r) => r.body)).toEqual([]);
    }
    await sealAudits(t.ds);
    expect(await new AuditChainService(t.ds).verify()).toMatchObject({ broken: null, pending: 0 });
  });
});
