import type { AuditFilter } from "../../src/domain/audit-log/audit-log";
import { sliceStatement } from "../../src/domain/audit-log/audit-log.repository";
import { startTestApp, type TestApp } from "../support/app";
import { resetAuditLog, sealAudits } from "../support/audit";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await resetAuditLog(t.ds);
  // 30,000 records: 3,000 users with 10 each, 50 actors, 1% through the CLI, 0.3% token actions; and 5 by one person.
  await t.ds.query(`INSERT INTO audit_events (actor_type, actor_id, actor_name, door, action, target_type, target_id, changes)
    SELECT 'token', 'tok-' || (g % 50), 'idp-' || (g % 50), CASE WHEN g % 100 = 0 THEN 'cli' ELSE 'scim' END,
           CASE WHEN g % 300 = 0 THEN 'token.created' WHEN g % 2 = 0 THEN 'user.updated' ELSE 'user.created' END,
           CASE WHEN g % 1000 = 0 THEN 'group' ELSE 'user' END,
           md5((g % 3000)::text)::uuid::text, '{}'
    FROM generate_series(1, 30000) g ORDER BY g`);
  await t.ds.query(`INSERT INTO audit_events (actor_type, actor_id, actor_name, door, action, target_type)
    SELECT 'user', 'person-1', 'Alice', 'admin', 'user.updated', 'user' FROM generate_series(1, 5)`);
  await sealAudits(t.ds);
  await t.ds.query("VACUUM ANALYZE audit_events, audit_seals");
});
afterAll(async () => t.close());

/** The plan of the first page (newest first, 51 rows) for a filter, as the list route runs it. */
async function plan(filter: AuditFilter): Promise<string> {
  const { text, params } = sliceStatement({ filter, entityScope: null, order: "desc", limit: 51 });
  const rows = await t.ds.query(`EXPLAIN ${text}`, params);
  return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
}

const someUser = "c4ca4238-a0b9-2382-0dcc-509a6f75849b"; // md5('1')

describe("query plans of the audit filters (30,000 records)", () => {
  it.each<[string, AuditFilter, RegExp]>([
    ["no filter walks the id index backwards", {}, /Index Scan Backward using audit_events_pkey/],
    ["user", { userId: someUser }, /audit_events_target_idx/],
    ["group", { groupId: someUser }, /audit_events_target_idx/],
    ["a rare actor (id or name)", { actor: "alice" }, /audit_events_actor_id_idx[\s\S]*audit_events_actor_name_idx/],
    ["a rare door", { door: "cli" }, /audit_events_door_idx/],
    ["a rare action", { action: "token.created" }, /audit_events_action_idx/],
    ["a rare action prefix", { actionPrefix: "token." }, /audit_events_action_idx/],
  ])("%s", async (_case, filter, index) => {
    expect(await plan(filter)).toMatch(index);
  });

  it("answers a filtered first page from the index without reading the table's 30,000 rows", async () => {
    const { text, params } = sliceStatement({
      filter: { userId: someUser },
      entityScope: null,
      order: "desc",
      limit: 51,
    });
    const rows = await t.ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
    const root = rows[0]["QUERY PLAN"][0];
    expect(root.Plan["Actual Rows"]).toBe(10);
    expect(JSON.stringify(root.Plan)).not.toMatch(/Seq Scan/);
  });
});
