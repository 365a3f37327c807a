import { rmSync } from "node:fs";
import { freePort } from "../../src/db/embedded";
import { hashSecret } from "../../src/domain/secrets";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { eventually } from "../support/people";
import { type RunningServer, killStrayServers, startServer, tempDataDir } from "../support/process";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";

// Real `src/main.ts` processes (ROLE=worker / web) against this jest worker's database, mailing a sink in this process.
let t: TestApp;
let dbUrl: string;
let dataDir: string;
let sink: SmtpSink | undefined;
beforeAll(async () => {
  t = await startTestApp();
  dbUrl = await workerDatabaseUrl();
  dataDir = tempDataDir();
});
afterEach(async () => {
  await killStrayServers();
  await sink?.close();
  sink = undefined;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(role: "worker" | "web", env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer({
    ROLE: role,
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    SMTP_URL: sink!.url,
    LOG_LEVEL: "warn",
    WORKER_POLL_MS: "200",
    ...env,
  });
}

/** `n` people with an email each, straight into the table (set-up, not under test); their ids and addresses. */
async function people(n: number, tag: string): Promise<{ ids: string[]; emails: string[] }> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, family_name, source, emails)
     SELECT $1 || g || '@proc.test', 'Proc', 'csv', jsonb_build_array(jsonb_build_object('value', $1 || g || '@proc.test', 'primary', true))
     FROM generate_series(1, $2::int) g RETURNING id, user_name`,
    [`${tag}.`, n],
  );
  return { ids: rows.map((r: { id: string }) => r.id), emails: rows.map((r: { user_name: string }) => r.user_name) };
}

async function inviteAll(ids: string[]): Promise<void> {
  const r = await t.admin.post("/users/actions", { action: "invite", ids }).expect(200);
  expect(r.body.done).toBe(ids.length);
}

const perRecipient = (s: SmtpSink) => {
  const counts = new Map<string, number>();
  for (const m of s.mails) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
};

const pendingJobs = async () =>
  (
    await t.ds.query(
      "SELECT count(*)::int AS n FROM outbox WHERE topic = 'invitation.requested' AND processed_at IS NULL",
    )
  )[0].n as number;

describe("worker processes (ROLE=worker) sharing one database", () => {
  it("two of them deliver 200 invitations exactly once each, and both take part", async () => {
    sink = await startSmtpSink({ delayMs: 5 });
    const { ids, emails } = await people(200, `pair${Date.now()}`);
    const env = { WORKER_CONCURRENCY: "4", WORKER_BATCH_SIZE: "5" };
    const [a, b] = await Promise.all([serve("worker", env), serve("worker", env)]);
    await inviteAll(ids);

    await sink.waitFor(200, 90_000);
    await eventually(async () => (await pendingJobs()) === 0, 30_000, "every job done");
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate would arrive by now
    const counts = perRecipient(sink);
    expect(counts.size).toBe(200);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const workers = await t.ds.query(
      "SELECT DISTINCT split_part(locked_by, ':', 2) AS pid FROM outbox WHERE topic = 'invitation.requested'",
    );
    expect(workers.map((w: { pid: string }) => Number(w.pid)).sort()).toEqual([a.proc.pid, b.proc.pid].sort());
    const statuses = await t.ds.query(
      "SELECT count(*)::int AS n FROM invitations WHERE sent_at IS NOT NULL AND revoked_at IS NULL AND failed_at IS NULL",
    );
    expect(statuses[0].n).toBe(200);
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  }, 180_000);

  it("after a kill -9 mid-batch and a restart every invitation is delivered; duplicates only of sends in flight at the kill", async () => {
    const N = 60;
    const CONCURRENCY = 4;
    sink = await startSmtpSink({ delayMs: 400 });
    const { ids, emails } = await people(N, `kill${Date.now()}`);
    const env = { WORKER_CONCURRENCY: String(CONCURRENCY), WORKER_LEASE_MS: "1500" };
    const first = await serve("worker", env);
    await inviteAll(ids);

    await eventually(
      async () => sink!.mails.length >= 12 && sink!.unanswered() > 0,
      60_000,
      "a dozen mails, more in flight",
    );
    first.proc.kill("SIGKILL");
    const inFlight = sink.unanswered();
    await new Promise<void>((resolve) =>
      first.proc.exitCode !== null || first.proc.signalCode !== null
        ? resolve()
        : first.proc.once("exit", () => resolve()),
    );
    const beforeRestart = sink.mails.length;
    expect(beforeRestart).toBeLessThan(N);

    const second = await serve("worker", env);
    await eventually(
      async () => perRecipient(sink!).size === N && (await pendingJobs()) === 0,
      90_000,
      "every invitation delivered",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const counts = perRecipient(sink);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    // Only the jobs in hand at the kill (one per loop) can be sent again; in runs here that was exactly the sends the
    // sink had received but not yet answered (`inFlight`, 2-3).
    const duplicates = sink.mails.length - N;
    expect(inFlight).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    // A person mailed twice holds two links: only the later one works.
    for (const [to, n] of counts) {
      if (n < 2) continue;
      const mails = sink.mails.filter((m) => m.to.includes(to));
      const [row] = await t.ds.query(
        "SELECT i.token_hash FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.user_name = $1",
        [to],
      );
      expect(row.token_hash).toBe(hashSecret(mails[mails.length - 1].token!));
      expect(row.token_hash).not.toBe(hashSecret(mails[0].token!));
    }
    const sent = await t.ds.query(
      "SELECT count(*)::int AS n FROM invitations WHERE user_id = ANY($1::uuid[]) AND sent_at IS NOT NULL AND failed_at IS NULL",
      [ids],
    );
    expect(sent[0].n).toBe(N);
    expect(await second.stop()).toBe(0);
  }, 240_000);
});

describe("process roles", () => {
  it("ROLE=web leaves jobs queued; ROLE=worker serves only health and metrics over HTTP, and sends them", async () => {
    sink = await startSmtpSink();
    const token = await t.token("admin");
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const web = await serve("web");
    const email = `roles.${Date.now()}@corp.test`;
    const created = await fetch(`${web.baseUrl}/admin/v1/users`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ email, givenName: "Rolf", familyName: "Weber", invite: "now" }),
    });
    expect(created.status).toBe(201);
    const userId = ((await created.json()) as { id: string }).id;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await pendingJobs()).toBe(1);
    expect(sink.mails).toHaveLength(0);
    expect(await (await fetch(`${web.baseUrl}/metrics`)).text()).not.toContain("roster_outbox_jobs_total");

    const worker = await serve("worker");
    expect((await fetch(`${worker.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.baseUrl}/readyz`)).status).toBe(200);
    expect(
      (await fetch(`${worker.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${t.scimToken}` } })).status,
    ).toBe(404);
    expect((await fetch(`${worker.baseUrl}/admin/v1/users`, { headers: auth })).status).toBe(404);
    const [mail] = await sink.waitFor(1, 30_000);
    expect(mail.to).toEqual([email]);
    const inv = await eventually(
      async () => {
        const r = await fetch(`${web.baseUrl}/admin/v1/users/${userId}/invitation`, { headers: auth });
        const body = (await r.json()) as { status: string };
        return body.status === "pending" ? body : null;
      },
      10_000,
      "invitation pending",
    );
    expect(inv?.status).toBe("pending");
    // The job is counted once its handler has returned and it is marked done, a moment after the invitation shows sent.
    const done = 'roster_outbox_jobs_total{topic="invitation.requested",outcome="done"} 1';
    await eventually(
      async () => (await (await fetch(`${worker.baseUrl}/metrics`)).text()).includes(done),
      10_000,
      "the job counted",
    );
    expect(await worker.stop()).toBe(0);
    expect(await web.stop()).toBe(0);
  }, 120_000);
});
