import { type TestApp, startTestApp } from "../support/app";
import { report, runImport, upload } from "../support/imports";
import { statementsDuring } from "../support/statements";

// Batches claim ranges of rows and insert their results (decision 0155): import_rows is written once, at upload.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "50" });
});
afterAll(async () => {
  await t.close();
});

const ROWS = 2600;
const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await t.ds.query(sql, params))[0];

/** A file of `rows` people of `domain`, rows 7 and 1500 repeating row 3's email (duplicates, marked at upload). */
const file = (domain: string, rows: number) => {
  const email = (i: number) => (i === 7 || i === 1500 ? `p3@${domain}` : `p${i}@${domain}`);
  const family = (i: number) =>
    `Ran${[...i.toString(26)].map((c) => String.fromCharCode(97 + Number.parseInt(c, 26))).join("")}`;
  return `Email,First name,Last name\n${Array.from({ length: rows }, (_, i) => `${email(i)},Ann,${family(i)}`).join("\n")}\n`;
};

/** The steps a loop took that applied a batch, until it found nothing to claim (what a worker's loop does). */
const loop = async () => {
  let batches = 0;
  while (await t.services.importBatches.step()) batches++;
  return batches;
};

it("two loops applying one import at once give each row exactly one result, and one person each", async () => {
  const domain = `par${Date.now().toString(36)}.test`;
  const id = (await upload(t, file(domain, ROWS), "two-loops.csv")).body.id as string;
  const [a, b] = await Promise.all([loop(), loop()]);
  expect(a).toBeGreaterThan(0);
  expect(b).toBeGreaterThan(0);
  while (await t.services.importBatches.step()) {}
  const done = (await t.admin.get(`/imports/${id}`).expect(200)).body;
  expect(done).toMatchObject({
    status: "succeeded",
    counts: { total: ROWS, created: ROWS - 2, skipped: 2, failed: 0 },
  });
  expect(done.progress).toMatchObject({ done: ROWS, total: ROWS, percent: 100 });
  const results = await one<{ rows: number; distinct: number; left: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT n)::int AS distinct,
       (SELECT count(*)::int FROM import_ranges WHERE import_id = $1) AS left
     FROM import_results WHERE import_id = $1`,
    [id],
  );
  expect(results).toEqual({ rows: ROWS, distinct: ROWS, left: 0 });
  // The batches' counts (0157) were folded into the import's row when it finished.
  expect(await one("SELECT count(*)::int AS n FROM import_tallies WHERE import_id = $1", [id])).toEqual({ n: 0 });
  expect(await one("SELECT done, created, skipped FROM imports WHERE id = $1", [id])).toEqual({
    done: ROWS,
    created: ROWS - 2,
    skipped: 2,
  });
  const people = await one<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE emails->0->>'value' LIKE $1", [
    `%@${domain}`,
  ]);
  expect(people.n).toBe(ROWS - 2);
  const audits = await one<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND action = 'user.created'",
    [`import:${id}`],
  );
  expect(audits.n).toBe(ROWS - 2);
  // Never updated nor locked: no row of the file has an xmax.
  expect(await one("SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1 AND xmax <> '0'", [id])).toEqual({
    n: 0,
  });
  const rows = await report(t, id);
  expect(rows).toHaveLength(ROWS + 1);
  expect(rows[8]).toEqual([`p3@${domain}`, "Ann", expect.any(String), "duplicate", "the same email as line 5"]);
  expect(rows.slice(1).filter((r) => r[3] === "created")).toHaveLength(ROWS - 2);
}, 120_000);

it("a batch's statements neither update nor lock import_rows", async () => {
  const domain = `stm${Date.now().toString(36)}.test`;
  const id = (await upload(t, file(domain, 120), "statements.csv")).body.id as string;
  const sent = await statementsDuring(async () => {
    expect(await t.services.importBatches.step()).toBe(true);
  });
  const texts = sent.map((s) => s.text.replace(/\s+/g, " "));
  expect(texts.some((s) => /INSERT INTO import_results/.test(s))).toBe(true);
  expect(texts.filter((s) => /UPDATE import_rows/i.test(s))).toEqual([]);
  // Nor the import's row, which the import's other loops would wait for (0157): its counts are a row of their own.
  expect(texts.filter((s) => /UPDATE imports SET (done|created|updated|unchanged|skipped|failed)/i.test(s))).toEqual(
    [],
  );
  expect(texts.some((s) => /INSERT INTO import_tallies/.test(s))).toBe(true);
  // The lock a batch takes is its range's; the rows it read keep no trace of it.
  expect(
    texts.some((s) =>
      /FROM import_ranges WHERE import_id = \$1 ORDER BY last_n LIMIT 1 FOR UPDATE SKIP LOCKED/.test(s),
    ),
  ).toBe(true);
  expect(await one("SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1 AND xmax <> '0'", [id])).toEqual({
    n: 0,
  });
  const running = (await t.admin.get(`/imports/${id}`).expect(200)).body;
  expect(running.progress.done).toBe(50);
  expect(running.counts).toMatchObject({ created: 49, skipped: 1 }); // rows 1-50: the upload marked row 8 a duplicate
  expect(
    (await t.admin.get("/imports").expect(200)).body.items.find((i: { id: string }) => i.id === id).counts,
  ).toEqual(running.counts);
  expect((await runImport(t, id)).counts).toMatchObject({ total: 120, created: 119, skipped: 1 });
});

describe("the migration to import_results", () => {
  const name = async () =>
    (await t.ds.query("SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1"))[0].name as string;

  it("down() puts the results back into import_rows and up() carries them over: an open import still finishes", async () => {
    const domain = `mig${Date.now().toString(36)}.test`;
    const id = (await upload(t, file(domain, 1200), "migrated.csv")).body.id as string;
    for (let i = 0; i < 3; i++) expect(await t.services.importBatches.step()).toBe(true);
    for (let undone = ""; undone !== "ImportResults1764000000300"; ) {
      undone = await name();
      await t.ds.undoLastMigration({ transaction: "each" });
    }
    try {
      const old = await one<{ done: number; todo: number; dup: number }>(
        `SELECT count(*) FILTER (WHERE result IS NOT NULL)::int AS done, count(*) FILTER (WHERE result IS NULL)::int AS todo,
           count(*) FILTER (WHERE result = 'duplicate')::int AS dup FROM import_rows WHERE import_id = $1`,
        [id],
      );
      // rows 1..150 done: 149 applied by the three batches, row 8 marked a duplicate at upload
      expect(old).toEqual({ done: 150, todo: 1050, dup: 1 });
    } finally {
      await t.ds.runMigrations({ transaction: "each" });
    }
    expect(await one("SELECT count(*)::int AS n FROM import_results WHERE import_id = $1", [id])).toEqual({ n: 150 });
    const done = await runImport(t, id);
    expect(done).toMatchObject({ status: "succeeded", counts: { total: 1200, created: 1199, skipped: 1, failed: 0 } });
    const rows = await report(t, id);
    expect(rows.slice(1).map((r) => r[3])).toEqual(
      Array.from({ length: 1200 }, (_, i) => (i === 7 ? "duplicate" : "created")),
    );
  }, 120_000);
});
