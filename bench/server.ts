import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/db/embedded";

const ROOT = path.resolve(__dirname, "..");

export interface Child {
  baseUrl: string;
  /** SIGTERM, then SIGKILL after 20 s; resolves to what went wrong, or null for a clean exit 0. */
  stop(): Promise<string | null>;
}

export interface Roster extends Child {
  /** Where the bench itself connects for seeding and the raw-insert ceiling. */
  dbUrl: string;
  token: string;
  /** A token of scope admin (the admin search workloads). */
  adminToken: string;
  embedded: boolean;
  /** The server process, for memory readings. */
  pid: number;
  /** The last few KB the server wrote (warn and error logs at LOG_LEVEL=warn). */
  logTail(): string;
}

/** A fresh folder for the embedded PostgreSQL: 0755, because under root it runs as the `postgres` user (mkdtemp gives 0700). */
export function tempDataDir(): string {
  const dir = path.join(os.tmpdir(), `roster-bench-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { mode: 0o755 });
  return dir;
}

/** Runs a TypeScript entry point through tsx in a child process; output is kept for error reports. */
function spawnTs(
  entry: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", entry], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-8000);
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

async function waitFor(url: string, proc: ChildProcess, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${url}: process exited early (${proc.exitCode}):\n${output()}`);
    if (
      await fetch(url).then(
        (r) => r.status === 200,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${url} not ready in ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopChild(
  name: string,
  proc: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs = 20_000,
): Promise<string | null> {
  if (proc.exitCode !== null) return `${name} had already exited (code ${proc.exitCode})`;
  proc.kill("SIGTERM");
  const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), timeoutMs).unref());
  const code = await Promise.race([exited, timer]);
  if (code === 0) return null;
  if (code !== "timeout") return `${name} exited with code ${code} on SIGTERM`;
  proc.kill("SIGKILL");
  await exited;
  return `${name} did not stop within ${timeoutMs / 1000} s of SIGTERM and was killed`;
}

/** The bare express ceiling app (bench/bare-express.ts) in its own process; FLOOR_DATABASE_URL in `env` adds the floors. */
export async function startBareExpress(env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const port = await freePort();
  const { proc, output, exited } = spawnTs("bench/bare-express.ts", { ...process.env, ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/`, proc, output);
  return { baseUrl, stop: () => stopChild("bare express", proc, exited) };
}

/**
 * The real server (src/main.ts), on the embedded PostgreSQL in a fresh DATA_DIR unless DATABASE_URL is set,
 * plus a scim and an admin token made by the real CLI (which shares the server's embedded cluster).
 */
export async function startRoster(runId: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Roster> {
  const external = process.env.DATABASE_URL || undefined;
  const dataDir = external ? undefined : tempDataDir();
  const env: NodeJS.ProcessEnv = {
    // One token drives every workload: a budget that never binds, so the limiter's cost is measured, not its 429s.
    SCIM_RATE_LIMIT_PER_MINUTE: "10000000",
    ...process.env,
    ...extraEnv,
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    ...(dataDir ? { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) } : {}),
  };
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (bench/profile-summary.ts reads it).
  const prof = process.env.BENCH_CPU_PROF;
  // BENCH_SQL_TIMES=<file>: the time of every statement, summed per text, written there when it stops (bench/sql-times.cjs).
  const sqlTimes = process.env.BENCH_SQL_TIMES ? ["--require", path.join(ROOT, "bench/sql-times.cjs")] : [];
  // BENCH_SERVER_NODE_ARGS: node options for the server alone (space-separated), e.g. V8 heap flags to compare.
  const own = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const nodeArgs = [...(prof ? ["--cpu-prof", "--cpu-prof-dir", prof] : []), ...sqlTimes, ...own];
  const { proc, output, exited } = spawnTs("src/main.ts", env, nodeArgs);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const cleanup = async () => {
    const problem = await stopChild("server", proc, exited);
    if (problem?.includes("killed") && dataDir) killOrphanPostmaster(dataDir);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    return problem;
  };
  try {
    await waitFor(`${baseUrl}/readyz`, proc, output);
    const token = await cli(["token", "create", "--name", `bench-${runId}`, "--scope", "scim"], env);
    const adminToken = await cli(["token", "create", "--name", `bench-admin-${runId}`, "--scope", "admin"], env);
    const dbUrl = external ?? embeddedUrl(dataDir!);
    return { baseUrl, dbUrl, token, adminToken, embedded: !external, pid: proc.pid!, stop: cleanup, logTail: output };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function embeddedUrl(dataDir: string): string {
  const password = readFileSync(path.join(dataDir, "pg-password"), "utf8").trim();
  const port = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[3]);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/roster`;
}

/** Only if the server had to be SIGKILLed: its embedded postmaster would otherwise outlive the bench. */
function killOrphanPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0) {
    try {
      process.kill(pid, "SIGINT"); // PostgreSQL "fast" shutdown
    } catch {
      /* already gone */
    }
  }
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["bin/roster.js", ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (c) => (out += c));
    proc.stderr.on("data", (c) => (err += c));
    proc.once("error", reject);
    proc.once("exit", (code) => {
      const token = out.trim();
      if (code === 0 && token) resolve(token);
      else reject(new Error(`roster ${args.join(" ")} exited ${code}: ${err.trim()}`));
    });
  });
}

/** A worker-only server (ROLE=worker) on `dbUrl`, started when the bench wants the worker's work timed on its own. */
export async function startWorkerProcess(dbUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const dataDir = tempDataDir();
  const port = await freePort();
  const { proc, output, exited } = spawnTs("src/main.ts", {
    ...process.env,
    ...env,
    ROLE: "worker",
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    const problem = await stopChild("worker", proc, exited);
    rmSync(dataDir, { recursive: true, force: true });
    return problem;
  };
  try {
    await waitFor(`${baseUrl}/readyz`, proc, output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, stop };
}
