import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../../src/db/embedded";
import { ensureChromium } from "./chromium";

/**
 * One real PostgreSQL per test run: TEST_DATABASE_URL / DATABASE_URL when set, else the embedded one in a temp folder.
 * And the browser the real-browser tests drive, installed once per run when missing (chromium.ts); the workers inherit
 * where it is, or why it is not there.
 */
export default async function globalSetup(): Promise<void> {
  const chromium = ensureChromium();
  if ("path" in chromium) process.env.ROSTER_TEST_CHROMIUM = chromium.path;
  else process.env.ROSTER_TEST_CHROMIUM_ERROR = chromium.error;
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    process.env.ROSTER_TEST_PG_URL = external;
    return;
  }
  // Not mkdtemp: its 0700 folder would be unreadable for the `postgres` user the cluster runs as under root.
  const dataDir = path.join(os.tmpdir(), `roster-test-${randomBytes(6).toString("hex")}`);
  mkdirSync(dataDir, { mode: 0o755 });
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
  process.env.ROSTER_TEST_PG_URL = db.url;
  process.env.ROSTER_TEST_PG_DIR = dataDir;
  (globalThis as { __rosterTestDb?: typeof db }).__rosterTestDb = db;
}
