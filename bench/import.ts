import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { type CpuWindow, startCpuWindow } from "./machine";
import { startRoster } from "./server";

/**
 * `npm run bench -- import [--rows N]` (decision 0129): a CSV of N people (default 1,000,000; BENCH_IMPORT_ROWS) is
 * uploaded to a real server and applied by its worker: upsert into an empty store, then the same file again (every
 * row unchanged). Beside it, in the same run, the database's own batch-insert rate: rows of the same shape inserted
 * into a copy of `users` in batches of IMPORT_BATCH_SIZE, one transaction each. Targets: the import at least half
 * that rate; the server's peak RSS (VmHWM) under 300 MB whatever N.
 */
const say = (line = "") => process.stdout.write(`${line}\n`);

function rowsArg(): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === "--rows" || a.startsWith("--rows="));
  const raw = at < 0 ? process.env.BENCH_IMPORT_ROWS : args[at].includes("=") ? args[at].slice(7) : args[at + 1];
  const n = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rows must be an integer >= 1 (got ${JSON.stringify(raw)})`);
  return n;
}

async function writeFile(file: string, n: number, runId: string): Promise<void> {
  const out = createWriteStream(file);
  out.write("Email,First name,Last name,Job title,Department,Employee number\n");
  for (let i = 0; i < n; i++) {
    const line = `p${i}.${runId}@bench.example,Person,${name(i)},Engineer,Research,E${i}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** A family name of letters only, distinct per row (first.last userNames without collisions). */
const name = (i: number) =>
  `Nam${i
    .toString(26)
    .split("")
    .map((c) => String.fromCharCode(97 + Number.parseInt(c, 26)))
    .join("")}`;

/** The database's own rate: unnest batches into a copy of users, one transaction per batch, on one connection. */
async function batchInsertRate(dbUrl: string, n: number, batch: number, runId: string): Promise<number> {
  const pool = new Pool({ connectionString: dbUrl, max: 1 });
  const c = await pool.connect();
  try {
    await c.query("DROP TABLE IF EXISTS bench_users");
    await c.query("CREATE TABLE bench_users (LIKE users INCLUDING ALL)");
    const t0 = performance.now();
    for (let from = 0; from < n; from += batch) {
      const ids = Array.from({ length: Math.min(batch, n - from) }, (_, i) => from + i);
      await c.query("BEGIN");
      await c.query(
        `INSERT INTO bench_users (id, user_name, source, given_name, family_name, title, emails)
         SELECT gen_random_uuid(), u, 'csv', 'Person', f, 'Engineer', jsonb_build_array(jsonb_build_object('value', u, 'primary', true))
         FROM unnest($1::text[], $2::text[]) AS x(u, f)`,
        [ids.map((i) => `raw${i}.${runId}@bench.example`), ids.map(name)],
      );
      await c.query("COMMIT");
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await c.query("DROP TABLE IF EXISTS bench_users").catch(() => undefined);
    c.release();
    await pool.end();
  }
}

/** CPU time per row (µs) over a window, per part; null where /proc is not there. */
interface CpuUse {
  app: number | null;
  bench: number | null;
  db: number | null;
  kernel: number | null;
  /** Other processes of the machine, in cores over the window: how far to trust the rest. */
  othersCores: number | null;
}

function cpuUse(w: CpuWindow, seconds: number, rows: number): CpuUse {
  const perRow = (cores: number | null) => (cores === null ? null : (cores * seconds * 1e6) / rows);
  return {
    app: perRow(w.app),
    bench: perRow(w.bench),
    db: perRow(w.db),
    kernel: perRow(w.kernel),
    othersCores: w.others,
  };
}

const us = (v: number | null) => (v === null ? "?" : `${v.toFixed(0)} µs`);

/**
 * CPU per row, beside the rates: on a machine shared with other work the rates move with the load, CPU time much
 * less, so it says where a change saved work even when the ratio is noise. The floor's client is this process.
 */
function cpuLine(label: string, c: CpuUse | null, client: "app" | "bench"): string {
  if (!c) return `${label}: CPU per row not measured`;
  const total = (c[client] ?? 0) + (c.db ?? 0) + (c.kernel ?? 0);
  return `${label}: CPU per row ${us(total)} = ${client === "app" ? "server" : "client"} ${us(c[client])} + PostgreSQL ${us(c.db)} + kernel ${us(c.kernel)} (other processes ${c.othersCores?.toFixed(2) ?? "?"} cores)`;
}

/** The server process's peak resident set (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function importOnce(
  baseUrl: string,
  token: string,
  file: string,
): Promise<{ rows: number; applySeconds: number; totalSeconds: number; counts: unknown; cpu: CpuUse | null }> {
  const t0 = performance.now();
  // CPU from the first poll that sees the import running to the one that sees it done (a poll every 250 ms).
  let window: { stop: () => CpuWindow; at: number } | null = null;
  const res = await fetch(`${baseUrl}/admin/v1/imports?mode=upsert`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "text/csv",
      "Content-Length": String(statSync(file).size),
    },
    body: createReadStream(file) as unknown as ReadableStream,
    duplex: "half",
  } as RequestInit);
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    await new Promise((r) => setTimeout(r, 250)); // often enough that the CPU window below starts and ends near the apply
    const v = (await (
      await fetch(`${baseUrl}/admin/v1/imports/${id}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      status: string;
      counts: { total: number };
      startedAt: string | null;
      finishedAt: string | null;
      error: string | null;
    };
    if (v.status === "failed" || v.status === "cancelled") throw new Error(`import ${v.status}: ${v.error}`);
    if (v.status === "running" && !window) window = { stop: startCpuWindow(), at: performance.now() };
    if (v.status === "succeeded") {
      const cpu = window ? cpuUse(window.stop(), (performance.now() - window.at) / 1000, v.counts.total) : null;
      const apply = (Date.parse(v.finishedAt!) - Date.parse(v.startedAt!)) / 1000;
      return {
        rows: v.counts.total,
        applySeconds: apply,
        totalSeconds: (performance.now() - t0) / 1000,
        counts: v.counts,
        cpu,
      };
    }
  }
}

export async function importBench(): Promise<void> {
  const n = rowsArg();
  const batch = Number(process.env.IMPORT_BATCH_SIZE ?? 500);
  const runId = `${Date.now().toString(36)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "roster-bench-import-"));
  const file = path.join(dir, "people.csv");
  await writeFile(file, n, runId);
  say(`import bench: ${n} rows (${(statSync(file).size / 1e6).toFixed(1)} MB), batches of ${batch}`);
  const roster = await startRoster(runId, {
    IMPORT_BATCH_SIZE: String(batch),
    IMPORT_CONCURRENCY: process.env.IMPORT_CONCURRENCY ?? "2",
  });
  try {
    const adminToken = roster.adminToken;
    const first = await importOnce(roster.baseUrl, adminToken, file);
    say(
      `upsert into an empty store: ${(first.rows / first.applySeconds).toFixed(0)} rows/s applying (${first.applySeconds.toFixed(1)} s), ${(first.rows / first.totalSeconds).toFixed(0)} rows/s upload included; ${JSON.stringify(first.counts)}`,
    );
    try {
      const again = await importOnce(roster.baseUrl, adminToken, file);
      say(
        `the same file again (unchanged): ${(again.rows / again.applySeconds).toFixed(0)} rows/s applying (${again.applySeconds.toFixed(1)} s); ${JSON.stringify(again.counts)}`,
      );
    } catch (e) {
      say(`the same file again: FAILED (${e instanceof Error ? e.message : String(e)})`);
      // The server's warnings and errors (LOG_LEVEL=warn) say which statement or wait refused it.
      say(`server log tail:\n${roster.logTail()}`);
    }
    const floorWindow = startCpuWindow();
    const floorStarted = performance.now();
    const ceiling = await batchInsertRate(roster.dbUrl, n, batch, runId);
    const floorCpu = cpuUse(floorWindow(), (performance.now() - floorStarted) / 1000, n);
    const rate = first.rows / first.applySeconds;
    say(`database batch-insert rate (unnest, ${batch} rows per transaction): ${ceiling.toFixed(0)} rows/s`);
    say(`import / database: ${((rate * 100) / ceiling).toFixed(1)}% (target >= 50%)`);
    say(`server peak RSS: ${peakRssMb(roster.pid).toFixed(0)} MB (target < 300 MB)`);
    say(cpuLine("creates", first.cpu, "app"));
    say(cpuLine("database batch insert", floorCpu, "bench"));
  } catch (e) {
    say(`server log tail:\n${roster.logTail()}`);
    throw e;
  } finally {
    await roster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
