import { startTestApp, type TestApp } from "../support/app";
import { memberIds, scimGroup } from "../support/group-fixtures";

/** Concurrent admin member changes on one group: each takes the group's row lock, so none is lost. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function seedUsers(n: number): Promise<string[]> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, source) SELECT 'adm' || g || '.' || md5(random()::text) || '@x.test', 'admin' FROM generate_series(1, $1::int) g RETURNING id`,
    [n],
  );
  return rows.map((r: { id: string }) => r.id);
}

describe("concurrent admin member changes", () => {
  it("30 simultaneous adds of different people to one group lose nothing; version and audit agree", async () => {
    const ids = await seedUsers(300);
    const g = await scimGroup(t);
    const batches = Array.from({ length: 30 }, (_, i) => ids.slice(i * 10, i * 10 + 10));
    const results = await Promise.all(batches.map((batch) => t.admin.post(`/groups/${g}/members`, { ids: batch })));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(await memberIds(t, g)).toEqual([...ids].sort());
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 2),
    );
    expect((await t.admin.get(`/groups/${g}`).expect(200)).body).toMatchObject({ memberCount: 300, version: 31 });
    const added = await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action = 'membership.added'",
      [g],
    );
    expect(added.flatMap((r: { changes: { members: string[] } }) => r.changes.members).sort()).toEqual([...ids].sort());
  });

  it("the same people added by several admins at once are added once: one audit record, the others told they were members", async () => {
    const ids = await seedUsers(5);
    const g = await scimGroup(t);
    const results = await Promise.all(Array.from({ length: 8 }, () => t.admin.post(`/groups/${g}/members`, { ids })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.filter((r) => r.body.added.length === 5)).toHaveLength(1);
    expect(results.filter((r) => r.body.alreadyMembers.length === 5)).toHaveLength(7);
    expect(await memberIds(t, g)).toEqual([...ids].sort());
    expect(
      Number(
        (
          await t.ds.query("SELECT count(*) FROM audit_events WHERE target_id = $1 AND action = 'membership.added'", [
            g,
          ])
        )[0].count,
      ),
    ).toBe(1);
  });

  it("adds to one group racing with removals of other members and SCIM deletions of the people end consistent", async () => {
    const ids = await seedUsers(20);
    const g = await scimGroup(t);
    await t.admin.post(`/groups/${g}/members`, { ids: ids.slice(0, 10) }).expect(200);
    const results = await Promise.all([
      ...ids.slice(0, 5).map((id) => t.admin.delete(`/groups/${g}/members/${id}`)),
      ...ids.slice(5, 10).map((id) => t.scim.delete(`/Users/${id}`)),
      ...ids.slice(10).map((id) => t.admin.post(`/groups/${g}/members`, { ids: [id] })),
    ]);
    expect(results.filter((r) => r.status >= 300)).toEqual([]);
    expect(await memberIds(t, g)).toEqual(ids.slice(10).sort());
  });
});
