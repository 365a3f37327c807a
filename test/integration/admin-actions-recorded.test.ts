import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { type Ctx, systemActor } from "../../src/domain/context";
import { UnavailableError } from "../../src/domain/errors";
import type { JobHandlers } from "../../src/domain/jobs/job";
import { jobHandlers } from "../../src/worker/job-handlers";
import { JobsRunner } from "../../src/worker/jobs.runner";
import { startTestApp, type TestApp } from "../support/app";
import { eventually } from "../support/people";

/** Mass actions answered at once are jobs too: recorded before anything is applied, finished by a runner if the request dies. */
let t: TestApp;
const runners: JobsRunner[] = [];
const clients: Client[] = [];
function runner(): JobsRunner {
  const r = new JobsRunner(t.services.jobs, jobHandlers(t.services.actions), { concurrency: 2, pollMs: 20 }).start();
  runners.push(r);
  return r;
}
/** A connection of its own, playing another process (a runner elsewhere, or a transaction in the way). */
async function other(): Promise<Client> {
  const c = new Client({ connectionString: (t.ds.options as { url: string }).url });
  c.on("error", () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  t = await startTestApp({ ADMIN_ACTIONS_SYNC_MAX: "40" });
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
});
afterAll(async () => t.close());

const ctx: Ctx = { actor: systemActor, door: "admin", requestId: null };
async function people(n: number, family: string): Promise<string[]> {
  const rows = await t.ds.query(
    `INSERT INTO users (user_name, family_name, source) SELECT $1 || g || '.' || $3 || '@recorded.test', $1, 'admin' FROM generate_series(1, $2) g RETURNING id`,
    [family, n, randomBytes(4).toString("hex")],
  );
  return rows.map((r: { id: string }) => r.id);
}
const job = async (id: string) => (await t.admin.get(`/jobs/${id}`).expect(200)).body;
/** user.invited audit records per user of `ids`, in order. */
async function invited(ids: string[]): Promise<number[]> {
  const rows = await t.ds.query(
    `SELECT (SELECT count(*)::int FROM audit_events a WHERE a.action = 'user.invited' AND a.target_id = u.id::text) AS n
     FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord) ORDER BY ord`,
    [ids],
  );
  return rows.map((r: { n: number }) => r.n);
}

describe("a mass action answered at once", () => {
  it("is a job with its items before anything is applied; the answer names it and repeats its outcomes", async () => {
    const ids = await people(3, "Recorded");
    const blocker = await other();
    await blocker.query("BEGIN");
    await blocker.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [ids[1]]);
    const answer = t.admin.post("/users/actions", { action: "invite", ids }).then((r) => r);

    const id: string = await eventually(
      async () => (await t.ds.query("SELECT job_id FROM admin_job_items WHERE user_id = $1", [ids[0]]))[0]?.job_id,
      20_000,
      "the job recorded",
    );
    // The request marks its job running just after recording it (a statement of its own): wait for that too.
    await eventually(async () => (await job(id)).status === "running", 20_000, "the job running");
    // The request is stuck on the second user: the job is visible, every item still pending, nobody invited yet.
    expect(await job(id)).toMatchObject({
      kind: "users.action",
      action: "invite",
      status: "running",
      total: 3,
      pending: 3,
      selection: { ids: 3 },
    });
    expect(await invited(ids)).toEqual([0, 0, 0]);

    await blocker.query("ROLLBACK");
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: "invite", jobId: id, total: 3, done: 3 });
    expect(await job(id)).toMatchObject({ status: "done", done: 3, pending: 0, finishedAt: expect.any(String) });
    const recorded = (await t.admin.get(`/jobs/${id}/results`).expect(200)).body.items;
    expect(recorded.map(({ id: u, outcome }: { id: string; outcome: string }) => ({ id: u, outcome }))).toEqual(
      res.body.results,
    );
    expect(await invited(ids)).toEqual([1, 1, 1]);
  });

  it("records a filter selection as the filter, its users as items", async () => {
    const ids = await people(4, "Filtered");
    const res = await t.admin.post("/users/actions", { action: "disable", filter: { q: "filtered" } }).expect(200);
    expect(await job(res.body.jobId)).toMatchObject({
      status: "done",
      total: 4,
      done: 4,
      selection: { filter: { q: "filtered" } },
    });
    expect(res.body.results.map((r: { id: string }) => r.id)).toEqual([...ids].sort());
  });

  it("left half done by its request (the database went away), is finished by a runner, every user once", async () => {
    const ids = await people(30, "Halfway");
    const jobId = await t.services.jobs.recordUsersAction(ctx, "invite", { ids }, ids);
    const real = jobHandlers(t.services.actions)["users.action"];
    const failing: JobHandlers = {
      "users.action": async (tx, j, userId) => {
        if (userId === ids[25]) throw new UnavailableError();
        return real(tx, j, userId);
      },
    };
    await expect(t.services.jobs.runHere(ctx, jobId, failing)).rejects.toBeInstanceOf(UnavailableError);
    // The first batch (20 users) committed with its outcomes; the second rolled back as a whole.
    expect(await job(jobId)).toMatchObject({ status: "running", done: 20, pending: 10 });

    runner();
    await eventually(async () => (await job(jobId)).status === "done", 20_000, "job done");
    expect(await job(jobId)).toMatchObject({ done: 30, pending: 0, failed: 0 });
    expect(await invited(ids)).toEqual(ids.map(() => 1));
  });

  it("waits for items another runner holds: one it did is not redone, one whose runner died is done here", async () => {
    const ids = await people(5, "Shared");
    const jobId = await t.services.jobs.recordUsersAction(ctx, "invite", { ids }, ids);
    const [finisher, dying] = [await other(), await other()];
    for (const [c, seq] of [
      [finisher, 2],
      [dying, 4],
    ] as const) {
      await c.query("BEGIN");
      await c.query("SELECT 1 FROM admin_job_items WHERE job_id = $1 AND seq = $2 FOR UPDATE", [jobId, seq]);
    }
    let answered = false;
    const here = t.services.jobs.runHere(ctx, jobId, jobHandlers(t.services.actions)).finally(() => {
      answered = true;
    });
    await eventually(async () => (await job(jobId)).pending === 2, 20_000, "all but the held items");
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);

    // The other runner records its outcome and commits; the dying one's transaction ends with its connection.
    await finisher.query(
      "UPDATE admin_job_items SET outcome = 'skipped', reason = 'done_elsewhere', processed_at = now() WHERE job_id = $1 AND seq = 2",
      [jobId],
    );
    await finisher.query("COMMIT");
    await dying.end();
    const items = await here;
    expect(items.map((i) => [i.userId, i.outcome, i.reason])).toEqual([
      [ids[0], "done", null],
      [ids[1], "skipped", "done_elsewhere"],
      [ids[2], "done", null],
      [ids[3], "done", null],
      [ids[4], "done", null],
    ]);
    expect(await invited(ids)).toEqual([1, 0, 1, 1, 1]);
    expect(await job(jobId)).toMatchObject({ status: "done", pending: 0 });
  });

  it("shares its items with runners racing for them: each answer complete, every user once", async () => {
    // Three requests and two runner loops: each holds one connection in its transaction and may need a second for the
    // communication setting, so together they stay within the pool of 10.
    runner();
    const batches = await Promise.all([1, 2, 3].map((n) => people(25, `Race${n}`)));
    const answers = await Promise.all(
      batches.map((ids) => t.admin.post("/users/actions", { action: "invite", ids }).expect(200)),
    );
    answers.forEach((res, n) => {
      expect(res.body).toMatchObject({ total: 25, done: 25, failed: 0 });
      expect(res.body.results.map((r: { id: string }) => r.id)).toEqual(batches[n]);
    });
    expect(await invited(batches.flat())).toEqual(batches.flat().map(() => 1));
  });
});
