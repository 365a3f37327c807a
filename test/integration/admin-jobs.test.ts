import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { JobHandlers } from "../../src/domain/jobs/job";
import { jobHandlers } from "../../src/worker/job-handlers";
import { JobsRunner } from "../../src/worker/jobs.runner";
import { startTestApp, type TestApp } from "../support/app";
import { eventually, seedEntity, seedPerson } from "../support/people";

let t: TestApp;
const runners: JobsRunner[] = [];
function runner(concurrency = 1, handlers?: JobHandlers): JobsRunner {
  const r = new JobsRunner(t.services.jobs, handlers ?? jobHandlers(t.services.actions), {
    concurrency,
    pollMs: 20,
  }).start();
  runners.push(r);
  return r;
}

beforeAll(async () => {
  t = await startTestApp({ ADMIN_ACTIONS_SYNC_MAX: "5" });
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => t.close());

/** `n` users whose family name is `family` (one INSERT). */
async function people(n: number, family: string): Promise<string[]> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, family_name, source) SELECT $1 || g || '.' || $3 || '@jobs.test', $1, 'admin' FROM generate_series(1, $2) g RETURNING id`,
    [family, n, randomBytes(4).toString("hex")],
  );
  return rows.map((r: { id: string }) => r.id);
}
const job = async (id: string) => (await t.admin.get(`/jobs/${id}`).expect(200)).body;
const done = (id: string) => eventually(async () => (await job(id)).status === "done", 20_000, `job ${id} done`);
/** How many invitations each of `ids` got from the outbox. */
async function invitations(ids: string[]): Promise<number[]> {
  const rows = await t.ds.query(
    `SELECT u.id, (SELECT count(*)::int FROM outbox o WHERE o.topic = 'invitation.requested' AND o.payload->>'userId' = u.id::text) AS n
     FROM unnest($1::uuid[]) AS u(id)`,
    [ids],
  );
  return rows.map((r: { n: number }) => r.n);
}

describe("mass actions as background jobs", () => {
  it("answers 202 with the job's Location; the job's progress and paged results can be read", async () => {
    const ids = await people(12, "Batch");
    const res = await t.admin.post("/users/actions", { action: "invite", filter: { q: "batch" } }).expect(202);
    expect(res.headers.location).toBe(`/admin/v1/jobs/${res.body.id}`);
    expect(res.body).toMatchObject({
      kind: "users.action",
      action: "invite",
      status: "queued",
      total: 12,
      pending: 12,
      done: 0,
      selection: { filter: { q: "batch" } },
    });
    expect(await job(res.body.id)).toMatchObject({ status: "queued", pending: 12 });

    runner();
    await done(res.body.id);
    expect(await job(res.body.id)).toMatchObject({
      status: "done",
      total: 12,
      done: 12,
      skipped: 0,
      failed: 0,
      notFound: 0,
      pending: 0,
      finishedAt: expect.any(String),
    });
    expect(await invitations(ids)).toEqual(ids.map(() => 1));
    const [payload] = await t.ds.query("SELECT payload FROM outbox WHERE topic = 'invitation.requested' LIMIT 1");
    expect(payload.payload).toMatchObject({ invitationId: expect.any(String), door: "admin" });

    const pages: { id: string; outcome: string }[][] = [];
    let cursor = "";
    do {
      const page = await t.admin
        .get(`/jobs/${res.body.id}/results?limit=5${cursor ? `&cursor=${cursor}` : ""}`)
        .expect(200);
      pages.push(page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(
      pages
        .flat()
        .map((i) => i.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(pages.flat().every((i) => i.outcome === "done")).toBe(true);
    expect((await t.admin.get(`/jobs/${res.body.id}/results?outcome=failed`).expect(200)).body.items).toEqual([]);
  });

  it("runs a large list of ids as a job too, unknown ids being not_found", async () => {
    const ids = await people(6, "Listed");
    const unknown = "00000000-0000-4000-8000-00000000beef";
    const res = await t.admin.post("/users/actions", { action: "disable", ids: [...ids, unknown] }).expect(202);
    runner(2);
    await done(res.body.id);
    expect(await job(res.body.id)).toMatchObject({ total: 7, done: 6, notFound: 1 });
    const missing = await t.admin.get(`/jobs/${res.body.id}/results?outcome=not_found`).expect(200);
    expect(missing.body.items).toEqual([{ id: unknown, outcome: "not_found", processedAt: expect.any(String) }]);
  });

  it("resolves a filter when the job is created: users created later are not part of it", async () => {
    const ids = await people(8, "Snapshot");
    const res = await t.admin.post("/users/actions", { action: "invite", filter: { q: "snapshot" } }).expect(202);
    const late = await people(3, "Snapshot");
    runner();
    await done(res.body.id);
    expect((await job(res.body.id)).total).toBe(8);
    expect(await invitations(ids)).toEqual(ids.map(() => 1));
    expect(await invitations(late)).toEqual([0, 0, 0]);
  });

  it("shows a scoped admin only their own jobs; auditors read them; bad ids and cursors are refused", async () => {
    const res = await t.admin.post("/users/actions", { action: "enable", ids: await people(6, "Visible") }).expect(202);
    const unit = await seedEntity(t.ds, "Unit");
    const scoped = await seedPerson(t.ds, { role: "admin", adminScope: [unit] });
    const client = t.adminAs(await t.token("admin", scoped.userName));
    expect((await client.get(`/jobs/${res.body.id}`).expect(404)).body.code).toBe("not_found");
    await client.get(`/jobs/${res.body.id}/results`).expect(404);
    const own = await client.post("/users/actions", { action: "enable", ids: await people(6, "Own") }).expect(202);
    expect((await client.get(`/jobs/${own.body.id}`).expect(200)).body.total).toBe(6);
    await t
      .adminAs(await t.token("auditor"))
      .get(`/jobs/${res.body.id}`)
      .expect(200);
    await t.admin.get("/jobs/not-a-job").expect(404);
    expect((await t.admin.get(`/jobs/${res.body.id}/results?cursor=%21%21`).expect(400)).body.field).toBe("cursor");
    expect((await t.admin.get(`/jobs/${res.body.id}/results?outcome=won`).expect(400)).body.field).toBe("outcome");
  });
});

describe("the job runner", () => {
  it("stopped half way, a new runner finishes the job without redoing a single user", async () => {
    const ids = await people(150, "Resume");
    const res = await t.admin.post("/users/actions", { action: "invite", filter: { q: "resume" } }).expect(202);
    const first = runner();
    await eventually(async () => (await job(res.body.id)).done >= 20, 20_000, "20 users done");
    await first.stop();
    const halfway = await job(res.body.id);
    expect(halfway.status).toBe("running");
    expect(halfway.done).toBeLessThan(150);
    expect(halfway.done + halfway.pending).toBe(150);

    runner();
    await done(res.body.id);
    expect(await job(res.body.id)).toMatchObject({ done: 150, pending: 0 });
    expect(await invitations(ids)).toEqual(ids.map(() => 1));
    const audited = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.invited' AND target_id = ANY($1::text[])",
      [ids],
    );
    expect(audited[0].n).toBe(150);
  });

  it("skips an item a crashed runner held, and does it once that runner's connection is gone (its half-done work rolled back)", async () => {
    const ids = await people(10, "Crash");
    const res = await t.admin.post("/users/actions", { action: "invite", filter: { q: "crash" } }).expect(202);
    const crashed = new Client({ connectionString: (t.ds.options as { url: string }).url });
    crashed.on("error", () => undefined);
    await crashed.connect();
    await crashed.query("BEGIN");
    const [held] = (
      await crashed.query(
        "SELECT seq, user_id FROM admin_job_items WHERE job_id = $1 ORDER BY seq LIMIT 1 FOR UPDATE",
        [res.body.id],
      )
    ).rows;
    await crashed.query("UPDATE users SET invited_at = now() WHERE id = $1", [held.user_id]);
    await crashed.query(
      "INSERT INTO outbox (topic, payload) VALUES ('invitation.requested', jsonb_build_object('userId', $1::text))",
      [held.user_id],
    );
    const [{ pid }] = (await crashed.query("SELECT pg_backend_pid() AS pid")).rows;

    runner(2);
    await eventually(async () => (await job(res.body.id)).pending === 1, 20_000, "all but the held item");
    await new Promise((r) => setTimeout(r, 200));
    expect(await job(res.body.id)).toMatchObject({ status: "running", done: 9, pending: 1 });

    await t.ds.query("SELECT pg_terminate_backend($1)", [pid]);
    await done(res.body.id);
    expect(await invitations(ids)).toEqual(ids.map(() => 1));
    await crashed.end().catch(() => undefined);
  });

  it("shares one job between several runners (replicas): every user exactly once", async () => {
    const ids = await people(80, "Replica");
    const res = await t.admin.post("/users/actions", { action: "invite", filter: { q: "replica" } }).expect(202);
    runner(2);
    runner(2);
    await done(res.body.id);
    expect(await job(res.body.id)).toMatchObject({ done: 80, failed: 0 });
    expect(await invitations(ids)).toEqual(ids.map(() => 1));
  });

  it("records an unexpected failure for that user and carries on with the others", async () => {
    const ids = await people(6, "Poison");
    const res = await t.admin.post("/users/actions", { action: "disable", filter: { q: "poison" } }).expect(202);
    const real = jobHandlers(t.services.actions);
    runner(1, {
      "users.action": async (tx, j, userId) => {
        if (userId === ids[2]) {
          await tx.manager.query("SELECT 1/0");
        }
        return real["users.action"](tx, j, userId);
      },
    });
    await done(res.body.id);
    expect(await job(res.body.id)).toMatchObject({ done: 5, failed: 1 });
    const failed = await t.admin.get(`/jobs/${res.body.id}/results?outcome=failed`).expect(200);
    expect(failed.body.items).toEqual([
      { id: ids[2], outcome: "failed", reason: "internal_error", processedAt: expect.any(String) },
    ]);
    // The batch the poison was in rolled back and was redone user by user: every other change happened exactly once.
    const audits = await t.ds.query(
      "SELECT target_id AS id, count(*)::int AS n FROM audit_events WHERE action = 'user.deactivated' AND target_id = ANY($1) GROUP BY target_id",
      [ids],
    );
    expect(Object.fromEntries(audits.map((a: { id: string; n: number }) => [a.id, a.n]))).toEqual(
      Object.fromEntries(ids.filter((_, i) => i !== 2).map((id) => [id, 1])),
    );
  });

  it("stops promptly when idle", async () => {
    const r = runner(3);
    const started = Date.now();
    await r.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
