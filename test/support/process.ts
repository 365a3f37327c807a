import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";

const ROOT = path.resolve(__dirname, "../..");

export interface RunningServer {
  proc: ChildProcess;
  baseUrl: string;
  stdout(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A fresh folder the embedded PostgreSQL can use (0755: under root it runs as the `postgres` user). */
export function tempDataDir(): string {
  const dir = path.join(os.tmpdir(), `roster-proc-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { mode: 0o755 });
  return dir;
}

const live = new Set<ChildProcess>();

/**
 * Stops every server a test started and did not stop (SIGTERM, so it stops its embedded PostgreSQL too; SIGKILL after
 * 15 s): a failed test leaves no process behind.
 */
export async function killStrayServers(): Promise<void> {
  await Promise.all(
    [...live].map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          const force = setTimeout(() => p.kill("SIGKILL"), 15_000);
          p.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          p.kill("SIGTERM");
        }),
    ),
  );
  live.clear();
}

/** Starts the real server (`src/main.ts` through tsx) and waits until /readyz answers 200. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(proc);
  proc.once("exit", () => live.delete(proc));
  let out = "";
  let err = "";
  proc.stdout!.on("data", (c) => (out += c));
  proc.stderr!.on("data", (c) => (err += c));
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}): ${err}`);
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server not ready in time: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc,
    baseUrl,
    stdout: () => out,
    stop: (signal = "SIGTERM") => {
      proc.kill(signal);
      return exited;
    },
  };
}

/** Runs `roster` (bin/roster.js) synchronously. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["bin/roster.js", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * fetch on a new connection each time. runCli blocks the event loop for seconds, long enough for the server to time out
 * a kept-alive socket without this process seeing it close: the next fetch reusing it fails with "other side closed"
 * (seen under load, on a GET right after the CLI ran). Tests that mix runCli and HTTP use this.
 */
const noKeepAlive = new Agent({ pipelining: 0 });
export const fetchFresh = (url: string, init: Parameters<typeof undiciFetch>[1] = {}) =>
  undiciFetch(url, { ...init, dispatcher: noKeepAlive });
