import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import { Pool } from "pg";
import { seedUsers } from "./seed";
import { startRoster } from "./server";
import { CONNECTIONS, type Load, cannon, percentile, scimLoads } from "./workloads";

/**
 * `npm run bench:audit`: what the hash chain costs and how the audit log reads at size. Audited commits (inserted
 * unchained, sealed after commit by the server's sealer loop, which runs throughout) against a table without the
 * chain, how fast the sealer chains and how far it lags, chain verification, the export's speed and the server's
 * memory while it streams, and list pages.
 */
const N = Number(process.env.BENCH_AUDIT_RECORDS ?? 200_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const say = (line = "") => process.stdout.write(`${line}\n`);
const ms = (v: number) => v.toFixed(2);
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/** `connections` loops of single-row autocommit statements for SECONDS: commits/s, p50, p99. */
async function commits(pool: Pool, connections: number, text: string): Promise<string> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await pool.query(text);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return `${(latencies.length / secs).toFixed(0)}/s, p50 ${ms(percentile(latencies, 50))} ms, p99 ${ms(percentile(latencies, 99))} ms`;
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  say(
    `Roster audit bench: ${N} records, ${SECONDS} s per workload, node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}`,
  );
  const roster = await startRoster(runId);
  const pool = new Pool({ connectionString: roster.dbUrl, max: CONNECTIONS, application_name: "roster-bench-audit" });
  try {
    const auditor = `rst_bench_${runId}`;
    await pool.query("INSERT INTO api_tokens (name, scope, token_hash) VALUES ($1, 'auditor', $2)", [
      `bench-auditor-${runId}`,
      createHash("sha256").update(auditor).digest("hex"),
    ]);
    const insert = `INSERT INTO audit_events (actor_type, actor_id, actor_name, door, action, target_type, target_id, changes)
      SELECT 'token', 'tok-' || (g % 20), 'idp-' || (g % 20), 'scim', CASE WHEN g % 3 = 0 THEN 'user.created' ELSE 'user.updated' END,
             'user', md5((g % 20000)::text)::uuid::text, jsonb_build_object('title', jsonb_build_object('before', 'a' || g, 'after', 'b' || g))
      FROM generate_series(1, $1::int) g`;
    let t = performance.now();
    for (let done = 0; done < N; done += 10_000) await pool.query(insert, [Math.min(10_000, N - done)]);
    say(
      `seed: ${N} records in statements of 10,000 (inserted unchained): ${(N / ((performance.now() - t) / 1000)).toFixed(0)} records/s`,
    );
    t = performance.now();
    const backlog = await pendingCount(pool);
    await sealAll(pool);
    say(
      `seal: the ${backlog} records the server's loop had not sealed yet, in batches of 5,000: ${(backlog / ((performance.now() - t) / 1000)).toFixed(0)} records/s`,
    );
    await pool.query("VACUUM ANALYZE audit_events");

    say(
      "single-row autocommit INSERTs, each its own commit: audit_events (sealed by the server's loop meanwhile), and a copy of it (same columns and indexes) without the chain:",
    );
    await pool.query("CREATE TABLE bench_unchained (LIKE audit_events INCLUDING DEFAULTS INCLUDING INDEXES)");
    await pool.query(
      "ALTER TABLE bench_unchained ALTER seq DROP NOT NULL, ALTER prev_hash DROP NOT NULL, ALTER hash DROP NOT NULL",
    );
    const values =
      "(actor_type, door, action, target_type, target_id, changes) VALUES ('system', 'system', 'bench.commit', 'user', gen_random_uuid()::text, '{\"title\":{\"after\":\"x\"}}')";
    for (const c of [1, CONNECTIONS]) {
      say(`  ${c} connection(s): without chain ${await commits(pool, c, `INSERT INTO bench_unchained ${values}`)}`);
      say(
        `  ${c} connection(s): chained       ${await commits(pool, c, `INSERT INTO audit_events ${values}`)}; ${await lag(pool)}`,
      );
    }
    await pool.query("DROP TABLE bench_unchained");

    const count = Number((await pool.query("SELECT count(*) FROM audit_events")).rows[0].count);
    t = performance.now();
    const verify = spawnSync(process.execPath, ["bin/roster.js", "audit", "verify"], {
      env: { ...process.env, DATABASE_URL: roster.dbUrl, LOG_LEVEL: "warn" },
      encoding: "utf8",
    });
    const verifySecs = (performance.now() - t) / 1000;
    say(
      `roster audit verify: exit ${verify.status}, ${count} records in ${verifySecs.toFixed(1)} s including CLI start (${(count / verifySecs).toFixed(0)} records/s): ${verify.stdout.split("\n")[0] || verify.stderr.trim()}`,
    );

    const before = rssMb(roster.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(roster.pid))), 25);
    t = performance.now();
    const res = await fetch(`${roster.baseUrl}/admin/v1/audit/export?format=csv`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    clearInterval(sampler);
    const exportSecs = (performance.now() - t) / 1000;
    say(
      `export csv: ${res.status}, ${lines - 1} records, ${(bytes / 1e6).toFixed(1)} MB in ${exportSecs.toFixed(1)} s (${(lines / exportSecs).toFixed(0)} records/s); server RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak`,
    );

    say(await cappedExport(roster.dbUrl, runId, auditor, bytes));

    const auth = { authorization: `Bearer ${auditor}` };
    const someUser = (await pool.query("SELECT md5('7')::uuid::text AS id")).rows[0].id;
    for (const [name, path] of [
      ["newest page", "/admin/v1/audit?limit=50"],
      ["one user's page", `/admin/v1/audit?user=${someUser}&limit=50`],
      ["action prefix page", "/admin/v1/audit?action=user.&limit=50"],
    ]) {
      const m = await cannon(
        { name, url: `${roster.baseUrl}${path}`, requests: [{ method: "GET", path, headers: auth }] },
        SECONDS,
      );
      say(
        `GET ${path.split("?")[0]} ${name}: ${m.rate.toFixed(0)} req/s, p50 ${ms(m.p50)} ms, p99 ${ms(m.p99)} ms${m.failures ? `, ${m.failures} FAILED: ${m.problems[0]}` : ""}`,
      );
    }

    await chainedVersusNot(pool, roster.baseUrl, roster.token, runId);
  } finally {
    await pool.end();
    const problem = await roster.stop();
    if (problem) say(`server: ${problem}`);
  }
}

const pendingCount = async (pool: Pool) =>
  Number((await pool.query("SELECT count(*) FROM audit_events WHERE seq IS NULL")).rows[0].count);

/** Seals everything committed (waiting for the server's sealer if it holds the head), as a reader does. */
async function sealAll(pool: Pool): Promise<void> {
  while ((await pool.query("SELECT roster_audit_seal(5000, true) AS n")).rows[0].n === 5000);
}

/** Unsealed records right after a workload, and how long the server's loop takes to seal them (no help from here). */
async function lag(pool: Pool): Promise<string> {
  const left = await pendingCount(pool);
  const t0 = performance.now();
  while ((await pendingCount(pool)) > 0 && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 10));
  return `${left} unsealed at the end, sealed by the loop within ${(performance.now() - t0).toFixed(0)} ms`;
}

/**
 * Memory bound: the same export through a second server process (on the same database) whose V8 heap is capped
 * below the export's size; it can only finish if the export streams.
 */
async function cappedExport(dbUrl: string, runId: string, auditor: string, exportBytes: number): Promise<string> {
  const capMb = Number(process.env.BENCH_AUDIT_HEAP_MB ?? 48);
  const saved = { url: process.env.DATABASE_URL, options: process.env.NODE_OPTIONS };
  process.env.DATABASE_URL = dbUrl;
  process.env.NODE_OPTIONS = `${saved.options ?? ""} --max-old-space-size=${capMb}`.trim();
  const capped = await startRoster(`${runId}m`).finally(() => {
    process.env.DATABASE_URL = saved.url;
    process.env.NODE_OPTIONS = saved.options;
  });
  try {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(capped.pid))), 25);
    const res = await fetch(`${capped.baseUrl}/admin/v1/audit/export?format=ndjson`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    clearInterval(sampler);
    return `export ndjson through a server with a ${capMb} MB heap cap: ${res.status}, ${(bytes / 1e6).toFixed(1)} MB (the csv was ${(exportBytes / 1e6).toFixed(1)} MB), RSS peak ${peak.toFixed(0)} MB`;
  } finally {
    const problem = await capped.stop();
    if (problem) say(`capped server: ${problem}`);
  }
}

/**
 * The SCIM write workloads of `npm run bench` (8 connections), alternating between the real chain (inserted
 * unchained, sealed by the server's loop as they run) and a stand-in that only numbers records from a sequence (no
 * hash, nothing to seal), in one server and database so the machine's other load falls on both alike.
 */
async function chainedVersusNot(pool: Pool, baseUrl: string, token: string, runId: string): Promise<void> {
  const seeded = await seedUsers(pool, 10_000, runId);
  const loads = scimLoads(baseUrl, token, seeded, runId);
  await pool.query(`CREATE SEQUENCE bench_audit_seq START 1000000000000`);
  await pool.query(`CREATE FUNCTION bench_unchained() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.seq := nextval('bench_audit_seq'); NEW.prev_hash := ''; NEW.hash := ''; RETURN NEW; END $$`);
  await pool.query(
    `CREATE TRIGGER bench_unchained BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION bench_unchained()`,
  );
  const chain = (on: boolean) =>
    pool.query(
      on
        ? "ALTER TABLE audit_events DISABLE TRIGGER bench_unchained, ENABLE TRIGGER audit_events_unchained"
        : "ALTER TABLE audit_events ENABLE TRIGGER bench_unchained, DISABLE TRIGGER audit_events_unchained",
    );
  const results = new Map<string, string[]>();
  const run = async (load: Load, on: boolean) => {
    await chain(on);
    await cannon(load, 1);
    const m = await cannon(load, SECONDS);
    const key = `${load.name} ${on ? "chained" : "unchained"}`;
    const sealed = on ? `, ${await lag(pool)}` : "";
    results.set(key, [
      ...(results.get(key) ?? []),
      `${m.rate.toFixed(0)}/s p50 ${ms(m.p50)} p99 ${ms(m.p99)}${m.failures ? ` (${m.failures} FAILED: ${m.problems[0]})` : ""}${sealed}`,
    ]);
  };
  for (let round = 0; round < 2; round++) {
    for (const load of [loads.create, loads.patchOkta]) {
      await run(load, true);
      await run(load, false);
    }
  }
  await chain(true);
  say("SCIM writes through HTTP, 8 connections, alternating (two rounds each):");
  for (const [key, figures] of results) say(`  ${key.padEnd(40)} ${figures.join(" | ")}`);
}

main().catch((e) => {
  process.stderr.write(`bench:audit: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
