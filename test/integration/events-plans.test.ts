import type { EntityManager } from "typeorm";
import { EventsRepository } from "../../src/domain/events/events.repository";
import { DeliveriesRepository } from "../../src/domain/webhooks/deliveries.repository";
import { startTestApp, type TestApp } from "../support/app";

// The feed's pages and the webhook claims are index walks, not scans or sorts of their tables.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.ds.query(`INSERT INTO events (type, subject_type, subject_id, data, door, actor)
    SELECT 'user.updated', 'user', 's' || (g % 4000), '{}', 'scim', '{}' FROM generate_series(1, 20000) g`);
  const [{ id }] = await t.ds.query(
    `INSERT INTO webhooks (url, events, secret_sealed) VALUES ('https://example.com/h', '{user.updated}', 'x') RETURNING id`,
  );
  await t.ds.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, subject_key, payload, state)
     SELECT $1, gen_random_uuid(), 'user.updated', 'user:s' || (g % 4000), '{}',
            CASE WHEN g < 15000 THEN 'delivered' ELSE 'pending' END
     FROM generate_series(1, 20000) g`,
    [id],
  );
  await t.ds.query("VACUUM ANALYZE events");
  await t.ds.query("VACUUM ANALYZE webhook_deliveries");
});
afterAll(async () => t.close());

/** The statement `run` sends (captured, not run), explained by PostgreSQL. */
async function plan(run: (m: EntityManager) => Promise<unknown>): Promise<string> {
  const sent: { text: string; values: unknown[] }[] = [];
  const capture = {
    queryRunner: {
      connect: async () => ({
        query: async (q: { text: string; values: unknown[] }) => {
          sent.push(q);
          return { rows: [{ horizon: "1", events: 0, deliveries: 0, held: 0 }] };
        },
      }),
    },
  } as unknown as EntityManager;
  await run(capture);
  const rows = await t.ds.query(`EXPLAIN ${sent[0].text}`, sent[0].values);
  return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
}

describe("query plans (20,000 events, 20,000 deliveries)", () => {
  it("a feed page walks events_order_idx from the cursor, without a sort of the table", async () => {
    const p = await plan((m) => new EventsRepository().page(m, { xid: "0", seq: "0" }, null, 100));
    expect(p).toMatch(/events_order_idx/);
    expect(p).not.toMatch(/Seq Scan on events/);
  });

  it("a claim walks the pending deliveries' index and checks each head on the subject index", async () => {
    const p = await plan((m) => new DeliveriesRepository().claim(m, "w", 50, 60_000));
    expect(p).toMatch(/webhook_deliveries_pending_idx/);
    expect(p).toMatch(/webhook_deliveries_subject_idx/);
    expect(p).not.toMatch(/Seq Scan on webhook_deliveries/);
  });

  it("the dispatcher reads the feed on events_order_idx", async () => {
    const p = await plan((m) => new DeliveriesRepository().dispatch(m, 1000));
    expect(p).toMatch(/events_order_idx/);
    expect(p).not.toMatch(/Seq Scan on events/);
  });
});
