import { groupsPageStatement, membersPageStatement } from "../../src/domain/groups/scoped-groups.repository";
import type { Statement } from "../../src/domain/effects";
import { startTestApp, type TestApp } from "../support/app";
import { entity } from "../support/admin-fixtures";
import { scimGroup } from "../support/group-fixtures";

/**
 * The admin group views' plans when one group holds most memberships (an "everyone" group beside small ones): the
 * statistics then tell the planner every group is huge, and plain SQL scanned group_members once per listed group, or
 * read users from the first id to reach a deep page. These plans must walk the primary keys whatever the statistics say.
 */
let t: TestApp;
let everyone: string;
let site: string;
let deep: string;
beforeAll(async () => {
  t = await startTestApp();
  site = await entity(t, "Plan-site");
  everyone = await scimGroup(t, "Everyone");
  for (let i = 0; i < 10; i++) await scimGroup(t, `Small ${i}`);
  await t.ds.query(
    `INSERT INTO users (user_name, source, entity_id) SELECT 'plan' || g || '@x.test', 'scim', CASE WHEN g % 10 = 0 THEN $1::uuid END
    FROM generate_series(1, 30000) g`,
    [site],
  );
  await t.ds.query("INSERT INTO group_members (group_id, user_id) SELECT $1, id FROM users", [everyone]);
  await t.ds.query("VACUUM ANALYZE users");
  await t.ds.query("VACUUM ANALYZE group_members");
  await t.ds.query("VACUUM ANALYZE groups");
  deep = (
    await t.ds.query("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id OFFSET 27000 LIMIT 1", [
      everyone,
    ])
  )[0].user_id;
}, 120000);
afterAll(async () => t.close());

/** The plan as the statement runs: prepared, with its values. */
async function plan(st: Statement): Promise<string> {
  const runner = t.ds.createQueryRunner();
  try {
    await runner.query(`PREPARE plan_probe AS ${st.text}`);
    const literal = (v: unknown) => (Array.isArray(v) ? `'{${v.join(",")}}'` : `'${String(v)}'`);
    const rows = await runner.query(
      `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE plan_probe(${st.values.map(literal).join(", ")})`,
    );
    return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
  } finally {
    await runner.query("DEALLOCATE ALL");
    await runner.release();
  }
}

describe("admin group views with one group holding most memberships (30,000)", () => {
  it("the groups list counts each group along group_members' primary key, never scanning the table per group", async () => {
    const p = await plan(groupsPageStatement({ pattern: null, after: null, limit: 51, scope: null }));
    expect(p).toMatch(/Index Only Scan using group_members_pkey/);
    expect(p).not.toMatch(/Seq Scan on group_members/);
  });

  it("a limited admin's counts read group_members once for the whole page", async () => {
    const p = await plan(groupsPageStatement({ pattern: null, after: null, limit: 51, scope: [site] }));
    expect(p).not.toMatch(/SubPlan/);
    expect(p.match(/on group_members/g)).toHaveLength(1);
  });

  it("a deep member page starts at the cursor and fetches only its own users, by primary key", async () => {
    const p = await plan(membersPageStatement(everyone, deep, 51, null));
    expect(p).toMatch(/Index (Only )?Scan using group_members_pkey on group_members gm/);
    expect(p).toMatch(/Index Cond: \(\(group_id = [^)]*\) AND \(user_id > /);
    expect(p).toMatch(/Index Scan using users_pkey on users u/);
    expect(p).not.toMatch(/Merge Join|Hash Join|Seq Scan on users/);
  });
});
