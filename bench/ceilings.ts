import { Pool } from "pg";
import { type CpuWindow, startCpuWindow } from "./machine";
import { startBareExpress } from "./server";
import { CONNECTIONS, type Measurement, bareLoad, cannon, percentile } from "./workloads";

/**
 * Ceiling (a): single-row autocommit INSERTs through `pg`, 8 loops on a pool of 8, for `seconds`.
 * The same commit (and fsync) per row as a SCIM create, with none of the HTTP, SCIM or ORM work around it.
 */
export async function rawInsertCeiling(
  dbUrl: string,
  seconds: number,
  warmupSeconds: number,
  runId: string,
): Promise<Measurement> {
  const pool = new Pool({ connectionString: dbUrl, max: CONNECTIONS, application_name: "roster-bench" });
  let next = 0;
  const problems: string[] = [];
  let failures = 0;
  const run = async (secs: number, latencies: number[] | null) => {
    const deadline = performance.now() + secs * 1000;
    const loop = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await pool.query("INSERT INTO users (user_name, source) VALUES ($1, 'scim')", [
            `raw${next++}.${runId}@bench.example`,
          ]);
          latencies?.push(performance.now() - t0);
        } catch (e) {
          failures++;
          if (problems.length < 5) problems.push(e instanceof Error ? e.message : String(e));
        }
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, loop));
    return (performance.now() - t0) / 1000;
  };
  try {
    // Open (and authenticate) all 8 connections before any timing.
    await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.query("SELECT 1")));
    if (warmupSeconds > 0) await run(warmupSeconds, null);
    const latencies: number[] = [];
    const elapsed = await run(seconds, latencies);
    latencies.sort((a, b) => a - b);
    return {
      name: "ceiling: raw pg INSERT",
      rate: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ok: latencies.length,
      seconds: elapsed,
      failures,
      problems,
    };
  } finally {
    await pool.end();
  }
}

/** Ceiling (b): a bare express 5 app in its own process, hit like the server is. The CPU window leaves out its start. */
export async function bareExpressCeiling(
  seconds: number,
  warmupSeconds: number,
): Promise<{ warmup: Measurement | null; main: Measurement; cpu: CpuWindow }> {
  const app = await startBareExpress();
  try {
    const load = bareLoad(app.baseUrl);
    const end = startCpuWindow();
    const warmup = warmupSeconds > 0 ? await cannon(load, warmupSeconds) : null;
    const main = { ...(await cannon(load, seconds)), name: "ceiling: bare express" };
    const cpu = end();
    const problem = await app.stop();
    if (problem) main.problems.push(problem);
    return { warmup, main: problem ? { ...main, failures: main.failures + 1 } : main, cpu };
  } catch (e) {
    await app.stop();
    throw e;
  }
}
