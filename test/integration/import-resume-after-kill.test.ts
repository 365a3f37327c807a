import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type TestApp, startTestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";

const ROOT = path.resolve(__dirname, "../..");
const ROWS = 600;

let t: TestApp;
let child: ChildProcess | null = null;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await t.close();
});

/** A distinct family name of letters per row (first.last userNames that do not collide). */
const letters = (i: number) =>
  `Nam${[...i.toString(26)].map((c) => String.fromCharCode(97 + Number.parseInt(c, 26))).join("")}`;

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await t.ds.query(sql, params))[0];

/** The newest import since $1, its rows done counted as readers count them: its own row plus its batches' tallies (0157). */
const NEWEST = `SELECT i.id, i.total, i.status,
    i.done + coalesce((SELECT sum(x.done) FROM import_tallies x WHERE x.import_id = i.id), 0)::int AS done
  FROM imports i WHERE i.created_at >= $1 ORDER BY i.created_at DESC LIMIT 1`;

it("a kill -9 of `roster import` mid-way loses and repeats no row: a worker carries on from the last committed batch", async () => {
  // Imports of earlier test files in this database are older: only the one this test starts is looked at.
  const since = (await one<{ now: Date }>("SELECT clock_timestamp() AS now")).now;
  const dir = mkdtempSync(path.join(os.tmpdir(), "roster-import-"));
  const file = path.join(dir, "people.csv");
  const domain = `k${Date.now().toString(36)}.test`;
  writeFileSync(
    file,
    `Email,First name,Last name\n${Array.from({ length: ROWS }, (_, i) => `p${i}@${domain},Person,${letters(i)}`).join("\n")}\n`,
  );
  child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "import", file, "--invite", "now"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: await workerDatabaseUrl(), IMPORT_BATCH_SIZE: "10", LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (c) => (err += c));
  // Wait until some batches have committed, then kill the process without warning.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const imp = await one<{ done: number } | undefined>(NEWEST, [since]);
    if (imp && imp.done >= 50) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no progress before the kill: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  await once(child, "exit");
  const killed = await one<{ id: string; done: number; total: number; status: string }>(NEWEST, [since]);
  expect(killed.status).toBe("running");
  expect(killed.done).toBeLessThan(ROWS);
  expect(killed.done % 10).toBe(0); // whole batches only: the one in flight rolled back
  // What committed is exactly the rows marked done: as many people as results.
  const people = `SELECT count(*)::int AS n FROM users WHERE emails->0->>'value' LIKE $1`;
  expect((await one<{ n: number }>(people, [`%@${domain}`])).n).toBe(killed.done);

  // A worker (here: this process's) carries on. Its loop looks again after a poll while the killed session still holds
  // its batch's range (until PostgreSQL has seen that connection go, decision 0155), as a worker's loop does.
  const status = "SELECT status FROM imports WHERE id = $1";
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    while (await t.services.importBatches.step()) {}
    if ((await one<{ status: string }>(status, [killed.id])).status !== "running") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const done = (await t.admin.get(`/imports/${killed.id}`).expect(200)).body;
  expect(done).toMatchObject({ status: "succeeded", counts: { total: ROWS, created: ROWS, failed: 0 } });
  expect((await one<{ n: number }>(people, [`%@${domain}`])).n).toBe(ROWS);
  const distinct = `SELECT count(DISTINCT lower(emails->0->>'value'))::int AS n FROM users WHERE emails->0->>'value' LIKE $1`;
  expect((await one<{ n: number }>(distinct, [`%@${domain}`])).n).toBe(ROWS);
  // One creation record and one invitation per person: nothing repeated by the second process.
  const audits = `SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND action = 'user.created'`;
  expect((await one<{ n: number }>(audits, [`import:${killed.id}`])).n).toBe(ROWS);
  const invites = `SELECT count(*)::int AS n FROM outbox WHERE topic = 'invitation.requested' AND payload->>'requestId' = $1`;
  expect((await one<{ n: number }>(invites, [`import:${killed.id}`])).n).toBe(ROWS);
}, 240_000);

it("`roster import` runs to the end: the summary on stdout, the report written next to the file", async () => {
  // Imports of earlier test files in this database are older: only the one this test starts is looked at.
  const since = (await one<{ now: Date }>("SELECT clock_timestamp() AS now")).now;
  const dir = mkdtempSync(path.join(os.tmpdir(), "roster-import-"));
  const file = path.join(dir, "staff.csv");
  const domain = `c${Date.now().toString(36)}.test`;
  writeFileSync(
    file,
    `Courriel;Prénom;Nom;Pointure\nlise.meitner@${domain};Lise;Meitner;38\nnot-an-email;Bad;Row;40\n`,
  );
  const cli = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "import", file, "--map", "Pointure=", "--dry-run"],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: await workerDatabaseUrl(), LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  cli.stdout!.on("data", (c) => (out += c));
  const [code] = await once(cli, "exit");
  expect(code).toBe(0);
  expect(out).toContain("succeeded (dry run): 2 rows, 1 created, 0 updated, 0 unchanged, 0 skipped, 1 failed");
  const reportPath = path.join(dir, "staff.report.csv");
  expect(out).toContain(`report: ${reportPath}`);
  const report = readFileSync(reportPath, "utf8")
    .replace(/^\uFEFF/, "")
    .split("\r\n");
  expect(report[0]).toBe("Courriel,Prénom,Nom,Pointure,result,reason");
  expect(report[1]).toBe(`lise.meitner@${domain},Lise,Meitner,38,created,`);
  expect(report[2]).toMatch(/^not-an-email,Bad,Row,40,failed,email: /);
}, 120_000);
