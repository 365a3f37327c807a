import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { freePort } from "../../src/db/embedded";
import { eventually } from "../support/people";
import { type RunningServer, killStrayServers, runCli, startServer, tempDataDir } from "../support/process";

const USERS = 1500;

/** A connection to the embedded cluster the server runs under `dataDir`. */
async function connect(dataDir: string): Promise<Client> {
  const password = readFileSync(path.join(dataDir, "pg-password"), "utf8").trim();
  const port = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[3]);
  const client = new Client({
    connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/roster`,
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** One statement on that cluster (a connection each time: servers come and go). */
async function query<T>(dataDir: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = await connect(dataDir);
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
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
      ADMIN_ACTIONS_SYNC_MAX: "10",
      ADMIN_JOBS_CONCURRENCY: "1",
      ADMIN_JOBS_POLL_MS: "100",
      LOG_LEVEL: "warn",
    };
    let server: RunningServer | undefined;
    try {
      server = await startServer(env);
      const token = runCli(["token", "create", "--name", "ops", "--scope", "admin"], env).stdout.trim();
      await query(
        dataDir,
        `INSERT INTO users (user_name, family_name, source) SELECT 'proc' || g || '@jobs.test', 'Restart', 'csv' FROM generate_series(1, ${USERS}) g`,
      );
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      const asked = await fetch(`${server.baseUrl}/admin/v1/users/actions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ action: "invite", filter: { q: "restart" } }),
      });
      expect(asked.status).toBe(202);
      const { id } = (await asked.json()) as { id: string };
      const progress = async () =>
        (
          await query<{ done: number; status: string }>(
            dataDir,
            `SELECT count(*) FILTER (WHERE outcome IS NOT NULL)::int AS done, (SELECT status FROM admin_jobs WHERE id = $1) AS status
         FROM admin_job_items WHERE job_id = $1`,
            [id],
          )
        )[0];

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
      const counts = await query(
        dataDir,
        `SELECT n, count(*)::int AS users FROM (
           SELECT u.id, (SELECT count(*) FROM outbox o WHERE o.topic = 'invitation.requested' AND o.payload->>'userId' = u.id::text) AS n
           FROM users u WHERE u.family_name = 'Restart') x GROUP BY n`,
      );
      expect(counts).toEqual([{ n: "1", users: USERS }]);
      const [audited] = await query(
        dataDir,
        "SELECT count(DISTINCT target_id)::int AS d, count(*)::int AS n FROM audit_events WHERE action = 'user.invited'",
      );
      expect(audited).toEqual({ d: USERS, n: USERS });
    } finally {
      if (server && server.proc.exitCode === null) await server.stop("SIGTERM");
      stopOrphanPostgres(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("the process: a mass action answered at once, killed mid-request", () => {
  it("is finished by a runner after restart: each of the 300 people invited exactly once", async () => {
    const dataDir = tempDataDir();
    // The first server runs no job loops, so only the request works on its job (its runners would otherwise help).
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
      ADMIN_JOBS_CONCURRENCY: "0",
      ADMIN_JOBS_POLL_MS: "100",
      LOG_LEVEL: "warn",
    };
    let server: RunningServer | undefined;
    let blocker: Client | undefined;
    try {
      server = await startServer(env);
      const token = runCli(["token", "create", "--name", "ops", "--scope", "admin"], env).stdout.trim();
      await query(
        dataDir,
        `INSERT INTO users (user_name, family_name, source) SELECT 'sync' || g || '@jobs.test', 'Midway', 'csv' FROM generate_series(1, 300) g`,
      );
      // Another transaction holds the 150th person (in selection order, by id): the request stops there, mid-way.
      blocker = await connect(dataDir);
      await blocker.query("BEGIN");
      await blocker.query(
        "SELECT 1 FROM users WHERE id = (SELECT id FROM users WHERE family_name = 'Midway' ORDER BY id OFFSET 149 LIMIT 1) FOR UPDATE",
      );
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      const asked = fetch(`${server.baseUrl}/admin/v1/users/actions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ action: "invite", filter: { q: "midway" } }),
      }).then(
        (r) => r.status,
        () => "no answer",
      );

      const progress = async () =>
        (
          await query<{ id: string; done: number; total: number }>(
            dataDir,
            `SELECT j.id, j.total, (SELECT count(*)::int FROM admin_job_items i WHERE i.job_id = j.id AND i.outcome IS NOT NULL) AS done
         FROM admin_jobs j WHERE j.action = 'invite'`,
          )
        )[0];
      await eventually(async () => (await progress())?.done >= 140, 60_000, "the batches before the held person");
      await new Promise((r) => setTimeout(r, 300));
      const { id, total, done } = await progress();
      // Recorded before it was answered: the whole selection is the job's, visible while the request works.
      expect({ total, done }).toEqual({ total: 300, done: 140 });
      const seen = await fetch(`${server.baseUrl}/admin/v1/jobs/${id}`, { headers });
      expect(await seen.json()).toMatchObject({ status: "running", total: 300, done: 140, pending: 160 });

      server.proc.kill("SIGKILL");
      await new Promise<void>((resolve) => server!.proc.once("exit", () => resolve()));
      expect(await asked).toBe("no answer");

      // Restarted with job loops: they take the items left. The killed request's transaction (20 items, waiting on
      // the held person) ends once the blocker lets go and its backend finds the client gone; a runner then does those.
      server = await startServer({ ...env, ADMIN_JOBS_CONCURRENCY: "2" });
      await eventually(async () => (await progress()).done >= 280, 60_000, "all but the killed request's batch");
      await blocker.query("ROLLBACK");
      await eventually(async () => (await progress()).done === 300, 60_000, "job done");
      const final = await fetch(`${server.baseUrl}/admin/v1/jobs/${id}`, { headers });
      expect(await final.json()).toMatchObject({ status: "done", total: 300, done: 300, failed: 0, pending: 0 });

      const perPerson = await query(
        dataDir,
        `SELECT audits, invitations, events, count(*)::int AS people FROM (
           SELECT (SELECT count(*)::int FROM audit_events a WHERE a.action = 'user.invited' AND a.target_id = u.id::text) AS audits,
                  (SELECT count(*)::int FROM invitations i WHERE i.user_id = u.id) AS invitations,
                  (SELECT count(*)::int FROM outbox o WHERE o.topic = 'invitation.requested' AND o.payload->>'userId' = u.id::text) AS events
           FROM users u WHERE u.family_name = 'Midway') x GROUP BY 1, 2, 3`,
      );
      expect(perPerson).toEqual([{ audits: 1, invitations: 1, events: 1, people: 300 }]);
    } finally {
      await blocker?.end().catch(() => undefined);
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
