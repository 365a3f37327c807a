import { DeliveriesRepository } from "../../src/domain/webhooks/deliveries.repository";
import { startTestApp, type TestApp } from "../support/app";
import { statementsDuring } from "../support/statements";

// With no endpoint enabled, the dispatcher moves its cursor past the feed without reading the events (an import's
// thousands of events per second cost nothing here); an endpoint enabled afterwards gets the events after it.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_LOOPS: "0" });
});
afterAll(async () => t.close());

const repo = new DeliveriesRepository();
const cursor = async () =>
  (await t.ds.query("SELECT after_xid::text AS xid, after_seq::text AS seq FROM webhook_dispatch"))[0];
const newest = async () =>
  (
    await t.ds.query("SELECT xid::text AS xid, seq::text AS seq FROM events e ORDER BY e.xid DESC, e.seq DESC LIMIT 1")
  )[0];
/**
 * Adds `n` events and waits until the feed's horizon has passed them: another jest worker's open transaction, in its
 * own database on the same cluster, holds the horizon (the oldest running xid) back, and the dispatcher rightly reads
 * only below it.
 */
const addEvents = async (n: number, type = "user.updated") => {
  await t.ds.query(
    `INSERT INTO events (type, subject_type, subject_id, data, door, actor)
     SELECT $2, 'user', 's' || g, '{}', 'scim', '{}' FROM generate_series(1, $1::int) g`,
    [n, type],
  );
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const [{ settled }] = await t.ds.query(
      "SELECT max(xid) < pg_snapshot_xmin(pg_current_snapshot()) AS settled FROM events",
    );
    if (settled) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the feed's horizon did not pass the new events within 30 s");
};

it("no endpoint enabled: one step moves the cursor to the newest event, reading none and delivering none", async () => {
  await t.ds.query("UPDATE webhooks SET enabled = false");
  await addEvents(2500);
  const step = await repo.dispatch(t.ds.manager, 1000);
  expect(step).toEqual({ events: 0, deliveries: 0, held: 1 });
  expect(await cursor()).toEqual(await newest());
  // Nothing new: the cursor stays where it is.
  expect(await repo.dispatch(t.ds.manager, 1000)).toEqual({ events: 0, deliveries: 0, held: 1 });
  expect(await cursor()).toEqual(await newest());
  expect((await t.ds.query("SELECT count(*)::int AS n FROM webhook_deliveries"))[0].n).toBe(0);
});

it("the step without endpoints walks back on the feed's index once, not along the events", async () => {
  const sent = await statementsDuring(async () => {
    await repo.dispatch(t.ds.manager, 1000);
  });
  const text = sent.find((s) => s.text.includes("webhook_dispatch"));
  expect(text).toBeDefined();
  await addEvents(3000);
  const plan = await t.ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text!.text}`, text!.values);
  const nodes: { "Node Type": string; "Index Name"?: string; "Actual Rows": number; "Scan Direction"?: string }[] = [];
  const walk = (n: Record<string, unknown>) => {
    nodes.push(n as (typeof nodes)[number]);
    for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk(plan[0]["QUERY PLAN"][0].Plan);
  const onEvents = nodes.filter((n) => n["Index Name"] === "events_order_idx");
  expect(onEvents.length).toBeGreaterThan(0);
  // The forward walk (for fanning out) reads nothing; the backward step reads one entry.
  expect(onEvents.reduce((sum, n) => sum + n["Actual Rows"], 0)).toBe(1);
  expect(await cursor()).toEqual(await newest());
});

it("an endpoint enabled afterwards gets the events after it, in one step", async () => {
  await addEvents(10);
  await repo.dispatch(t.ds.manager, 1000);
  await t.ds.query(
    `INSERT INTO webhooks (url, events, secret_sealed) VALUES ('https://example.com/h', '{user.updated}', 'x')`,
  );
  await addEvents(7);
  await addEvents(4, "group.updated");
  expect(await repo.dispatch(t.ds.manager, 1000)).toEqual({ events: 11, deliveries: 7, held: 1 });
  expect(await cursor()).toEqual(await newest());
});
