import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { printSummary, summarise } from "./profile-summary";
import { seedUsers } from "./seed";
import { startRoster } from "./server";
import { cannon, scimLoads } from "./workloads";

/**
 * `npm run bench:profile -- lookup patch-okta`: for each named SCIM workload, a fresh Roster server under
 * `node --cpu-prof` (BENCH_CPU_PROF), BENCH_USERS seeded users, the workload for BENCH_SECONDS, then the summary of the
 * server's profile (bench/profile-summary.ts). The .cpuprofile files stay in the printed folder (Chrome DevTools opens them).
 */
const KINDS = ["lookup", "by-id", "patch-okta", "patch-entra", "put", "create", "page"] as const;
type Kind = (typeof KINDS)[number];
const asked = process.argv.slice(2);
const kinds = (asked.length ? asked : ["lookup", "patch-okta"]) as Kind[];
const bad = kinds.find((k) => !KINDS.includes(k));
if (bad) {
  process.stderr.write(`bench:profile: unknown workload ${JSON.stringify(bad)} (known: ${KINDS.join(", ")})\n`);
  process.exit(2);
}
const N = Number(process.env.BENCH_USERS || 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const say = (line = "") => process.stdout.write(`${line}\n`);

async function profileOne(kind: Kind, dir: string): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const own = path.join(dir, kind);
  mkdirSync(own, { recursive: true });
  process.env.BENCH_CPU_PROF = own;
  const roster = await startRoster(runId);
  let loadStart = 0;
  let loadEnd = 0;
  try {
    const pool = new Pool({ connectionString: roster.dbUrl, max: 1 });
    const seeded = await seedUsers(pool, N, runId);
    await pool.end();
    const loads = scimLoads(roster.baseUrl, roster.token, seeded, runId);
    const load = {
      lookup: loads.lookup,
      "by-id": loads.byId,
      "patch-okta": loads.patchOkta,
      "patch-entra": loads.patchEntra,
      put: loads.put,
      create: loads.create,
      page: loads.firstPage,
    }[kind];
    await cannon(load, 1);
    loadStart = performance.now();
    const m = await cannon(load, SECONDS);
    loadEnd = performance.now();
    say(
      `${load.name}: ${m.rate.toFixed(0)}/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.failures ? `, ${m.failures} FAILED` : ""}`,
    );
  } finally {
    const problem = await roster.stop();
    if (problem) say(`server: ${problem}`);
  }
  // The profile ends when the server exits: keep the samples of the measured window only (not start, seeding, warm-up).
  const stopped = performance.now();
  // One file per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): thread 0 is the server's main thread.
  const file = readdirSync(own).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error(`no .cpuprofile in ${own}`);
  say(`${path.join(own, file)}:`);
  printSummary(
    summarise(path.join(own, file), 25, { fromEndMs: stopped - loadStart, toEndMs: stopped - loadEnd }),
    say,
  );
  say();
}

async function main(): Promise<void> {
  const dir = path.join(os.tmpdir(), `roster-profile-${Date.now().toString(36)}`);
  rmSync(dir, { recursive: true, force: true });
  say(`Roster profile: ${kinds.join(", ")}; ${N} users, ${SECONDS} s each, profiles in ${dir}`);
  for (const kind of kinds) await profileOne(kind, dir);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench:profile: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
