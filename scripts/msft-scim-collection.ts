// Runs Microsoft's SCIM test collection (AzureAD/SCIMReferenceCode, PostmanCollection.json) with newman against a
// fresh Roster: embedded PostgreSQL in a temporary DATA_DIR, a new scim token from the CLI, the server on a free
// loopback port. Fetches nothing: the collection is read from the path given, and is never kept in this repository.
//   npm run conformance:msft -- /path/to/PostmanCollection.json
// Prints every failing request and assertion; exits 1 when any failed. Not part of `npm test`.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// newman ships no types; the little of its API used here:
interface Failure {
  source?: { name?: string };
  error: { test?: string; name: string; message: string };
}
interface Summary {
  run: { failures: Failure[] };
}
const newman = require("newman") as { run(opts: unknown, cb: (err: Error | null, summary: Summary) => void): void };

type Item = { name: string; item?: Item[] };
const ROOT = resolve(__dirname, "..");
// The reference code's own test-token endpoint: not SCIM. The token comes from `roster token create` instead.
const SKIPPED = new Set(["Get Token"]);

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
      .once("error", fail)
      .listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => ok(port));
      });
  });
}

async function waitUp(url: string, server: ChildProcess, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`roster exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`roster did not answer ${url} within ${ms} ms`);
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    server.once("exit", () => ok());
    server.kill("SIGTERM");
  });
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error("usage: npm run conformance:msft -- /path/to/PostmanCollection.json");
  const collection = JSON.parse(readFileSync(path, "utf8")) as { item: Item[] };
  collection.item = collection.item.filter((i) => !SKIPPED.has(i.name));

  const dataDir = mkdtempSync(join(tmpdir(), "roster-msft-"));
  // Under root the embedded PostgreSQL runs as its own user, which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const [port, pgPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    HOST: "127.0.0.1",
    PORT: String(port),
    NODE_ENV: "development",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  delete env.DATABASE_URL;
  let server: ChildProcess | undefined;
  try {
    const token = execFileSync(
      "node",
      ["bin/roster.js", "token", "create", "--name", "msft-collection", "--scope", "scim"],
      { cwd: ROOT, env, encoding: "utf8" },
    ).trim();
    server = spawn("node", ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    await waitUp(`http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig`, server);
    const summary = await new Promise<Summary>((ok, fail) =>
      newman.run(
        {
          collection,
          envVar: [
            { key: "Protocol", value: "http" },
            { key: "Server", value: "127.0.0.1" },
            { key: "Port", value: `:${port}` },
            { key: "Api", value: "scim/v2" },
            { key: "token", value: token },
          ],
          reporters: ["cli"],
          reporter: { cli: { noSummary: false, noAssertions: false } },
        },
        (err, s) => (err ? fail(err) : ok(s)),
      ),
    );
    const failures = summary.run.failures;
    process.stdout.write(`\n${failures.length} failure(s)\n`);
    for (const f of failures) {
      const source = f.source?.name ?? "?";
      process.stdout.write(`- ${source}: ${f.error.test ?? f.error.name}: ${f.error.message}\n`);
    }
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    if (server) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`msft-scim-collection: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
