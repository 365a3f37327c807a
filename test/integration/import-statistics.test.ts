import { type TestApp, startTestApp } from "../support/app";
import { runImport, upload } from "../support/imports";

// A store an import fills from empty (decision 0150): the worker analyses `users` once it outgrew its statistics, so
// the next batches' address lookups are planned as index probes, not as a read of every user per address.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "200" });
});
afterAll(async () => {
  await t.close();
});

const stats = async () =>
  (
    await t.ds.query(
      "SELECT reltuples::float8 AS tuples, (pg_relation_size(oid) / current_setting('block_size')::int)::int AS pages FROM pg_class WHERE oid = 'users'::regclass",
    )
  )[0] as { tuples: number; pages: number };

it("analyses users during an import into an emptied store, and not again while its statistics hold", async () => {
  // The test app starts from TRUNCATEd tables: statistics of an empty (or never analysed) table.
  expect((await stats()).tuples).toBeLessThanOrEqual(0);
  const rows = Array.from({ length: 600 }, (_, i) => `fresh${i}@stats.test,Ann,Lee${"abcdefghij"[i % 10]}x`);
  const res = await upload(t, ["Email,First name,Last name", ...rows].join("\n"), "fresh.csv");
  const done = await runImport(t, res.body.id);
  expect(done.counts).toMatchObject({ total: 600, created: 600, failed: 0 });
  const after = await stats();
  expect(after.pages).toBeGreaterThanOrEqual(8);
  // Analysed after the first batch (200 people), so the figure is at least that, whatever came later.
  expect(after.tuples).toBeGreaterThanOrEqual(200);
  expect(await t.services.users.refreshStatisticsIfOutgrown()).toBe(false);
});
