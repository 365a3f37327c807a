import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { freePort } from "../../src/db/embedded";
import { eventually } from "../support/people";
import { RunningServer, killStrayServers, runCli, startServer, tempDataDir } from "../support/process";

const USERS = 1500;

/** One statement on the embedded cluster the server runs under `dataDir` (a connection each time: servers come and go). */
async function query<T>(dataDir: string, text: string, values: unknown[] = []): Promise<T[]> {
  const password = readFileSync(path.join(dataDir, "pg-password"), "utf8").trim();
  const port = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[3]);
  const client = new Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/roster` });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

afterEach(killStrayServers);

describe("the process: admin jobs across restarts", () => {
  it("a job interrupted by SIGTERM and then by a crash (SIGKILL) finishes after restarts, every user exactly once", async () => {
    const dataDir = tempDataDir();
    const env = {
      DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), DATABASE_URL: "",
      ADMIN_ACTIONS_SYNC_MAX: "10", ADMIN_JOBS_CONCURRENCY: "1", ADMIN_JOBS_POLL_MS: "100", LOG_LEVEL: "warn",
    };
    let server: RunningServer | undefined;
    try {
      server = await startServer(env);
      const token = runCli(["token", "create", "--name", "ops", "--scope", "admin"], env).stdout.trim();
      await query(dataDir, `INSERT INTO users (user_name, family_name, source) SELECT 'proc' || g || '@jobs.test', 'Restart', 'csv' FROM generate_series(1, ${USERS}) g`);
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      const asked = await fetch(`${server.baseUrl}/admin/v1/users/actions`, { method: "POST", headers, body: JSON.stringify({ action: "invite", filter: { q: "restart" } }) });
      expect(asked.status).toBe(202);
      const { id } = (await asked.json()) as { id: string };
      const progress = async () => (await query<{ done: number; status: string }>(dataDir,
        `SELECT count(*) FILTER (WHERE outcome IS NOT NULL)::int AS done, (SELECT status FROM admin_jobs WHERE id = $1) AS status
         FROM admin_job_items WHERE job_id = $1`, [id]))[0];

      await eventually(async () => (await progress()).done >= 100, 60_000, "100 users done");
      const beforeStop = await progress();
      expect(beforeStop.status).toBe("running");
      expect(beforeStop.done).toBeLessThan(USERS);
      // SIGTERM stops the runner (the item in hand finishes) and then the embedded database.
      expect(await server.stop("SIGTERM")).toBe(0);

      server = await startServer(env);
      await eventually(async () => (await progress()).done >= beforeStop.done + 100, 60_000, "100 more users done");
      server.proc.kill("SIGKILL");
      await new Promise<void>((resolve) => server!.proc.once("exit", () => resolve()));
      expect((await progress()).done).toBeLessThan(USERS);

      // The embedded PostgreSQL outlived the killed server; the next server joins it.
      server = await startServer(env);
      await eventually(async () => (await progress()).status === "done", 120_000, "job done");
      const counts = await query(dataDir,
        `SELECT n, count(*)::int AS users FROM (
           SELECT u.id, (SELECT count(*) FROM outbox o WHERE o.topic = 'invitation.requested' AND o.payload->>'userId' = u.id::text) AS n
           FROM users u WHERE u.family_name = 'Restart') x GROUP BY n`);
      expect(counts).toEqual([{ n: "1", users: USERS }]);
      const [audited] = await query(dataDir, "SELECT count(DISTINCT target_id)::int AS d, count(*)::int AS n FROM audit_events WHERE action = 'user.invited'");
      expect(audited).toEqual({ d: USERS, n: USERS });
    } finally {
      if (server && server.proc.exitCode === null) await server.stop("SIGTERM");
      stopOrphanPostgres(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});

/** After a SIGKILL the server's embedded PostgreSQL is nobody's child: stop it (by its own pid) once the test is over. */
function stopOrphanPostgres(dataDir: string): void {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, "SIGINT");
  } catch {
    /* already gone */
  }
}
