import type { EntityManager } from "typeorm";
import type { ReconciliationKind } from "../../src/domain/reports/reconciliation";
import { ReconciliationRepository } from "../../src/domain/reports/reconciliation.repository";
import { startTestApp, type TestApp } from "../support/app";
import { appendAudits } from "../support/audit";

// The report's pages are keyset reads in SQL: the stale list walks its partial index in order instead of sorting
// every IdP-managed person, and the membership changes walk the audit log's action index.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.ds.query(`INSERT INTO users (user_name, source, emails, last_pushed_at)
    SELECT 'person' || g || '@corp.test', 'scim', '[]'::jsonb, now() - (g % 90) * interval '1 day'
    FROM generate_series(1, 20000) g`);
  await t.ds.query("VACUUM ANALYZE users");
  await appendAudits(t.ds, 20000, { action: "user.updated", door: "scim" });
  await appendAudits(t.ds, 20, { action: "membership.added", door: "admin", targetType: "group" });
  await t.ds.query("VACUUM ANALYZE audit_events, audit_seals");
});
afterAll(async () => t.close());

/** The statement the repository sends for a page of `kind` (captured, not run), explained by PostgreSQL. */
async function plan(kind: ReconciliationKind, after: string[] | null): Promise<string> {
  const sent: { text: string; values: unknown[] }[] = [];
  const capture = {
    queryRunner: {
      connect: async () => ({
        query: async (q: { text: string; values: unknown[] }) => {
          sent.push(q);
          return { rows: [] };
        },
      }),
    },
  } as unknown as EntityManager;
  const q = { staleDays: 30, since: new Date(Date.now() - 10 * 86_400_000), idpDomains: ["corp.test"] };
  await new ReconciliationRepository().page(capture, kind, q, after, 101);
  const rows = await t.ds.query(`EXPLAIN ${sent[0].text}`, sent[0].values);
  return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
}

describe("query plans of the reconciliation report (20,000 people, 20,000 audit records)", () => {
  it("the stale list reads users_last_pushed_idx in order, first page and later ones, without a sort", async () => {
    for (const after of [null, ["2026-10-01 00:00:00+00", "00000000-0000-4000-8000-000000000001"]]) {
      const p = await plan("stale_push", after);
      expect(p).toMatch(/users_last_pushed_idx/);
      expect(p).not.toMatch(/^\s*(->\s*)?Sort/m);
    }
  });

  it("the admin membership changes read the audit log's action index", async () => {
    expect(await plan("admin_change_in_idp_group", null)).toMatch(/audit_events_action_idx/);
  });
});
