import { type OutboxJob, OutboxQueue } from "../../src/domain/outbox/outbox.queue";
import {
  type JobHandler,
  type JobOutcome,
  OutboxWorker,
  type OutboxWorkerOptions,
  PermanentJobError,
} from "../../src/worker/outbox.worker";
import { startTestApp, type TestApp } from "../support/app";
import { enqueueJobs } from "../support/outbox";

// The queue is the thing under test: jobs of topics no module consumes, run by test handlers, on the real PostgreSQL.
let t: TestApp;
let queue: OutboxQueue;
beforeAll(async () => {
  t = await startTestApp();
  queue = new OutboxQueue(t.ds);
});
afterAll(async () => t.close());

const TOPIC = "user.created";
const options = (o: Partial<OutboxWorkerOptions> = {}): OutboxWorkerOptions => ({
  concurrency: 1,
  pollMs: 20,
  batchSize: 10,
  leaseMs: 30_000,
  maxAttempts: 5,
  backoffMs: 1000,
  ...o,
});

const enqueue = (n: number) => enqueueJobs(t.ds, TOPIC, n);

const row = async (id: string) =>
  (
    await t.ds.query(
      `SELECT attempts, last_error, processed_at, dead_at, locked_by, locked_until,
          extract(epoch FROM available_at - clock_timestamp())::float8 AS due_in FROM outbox WHERE id = $1`,
      [id],
    )
  )[0];
/** Makes retries due now instead of waiting out their backoff (the delays themselves are read before). */
const fastForward = (ids: string[]) =>
  t.ds.query("UPDATE outbox SET available_at = now() WHERE id = ANY($1::bigint[]) AND dead_at IS NULL", [ids]);
/** Tests share one table: every job older than this test's is put out of reach. */
const retireOthers = () =>
  t.ds.query("UPDATE outbox SET processed_at = coalesce(processed_at, now()) WHERE topic = $1", [TOPIC]);

function handler(run: (job: OutboxJob) => Promise<void>): JobHandler & { dead: { job: OutboxJob; error: string }[] } {
  const dead: { job: OutboxJob; error: string }[] = [];
  return { run, dead, onDead: async (job, error) => void dead.push({ job, error }) };
}

beforeEach(retireOthers);

describe("retries", () => {
  it("a job failing twice then succeeding: attempts count each run, the delay doubles, the error is kept until it succeeds", async () => {
    const [id] = await enqueue(1);
    let calls = 0;
    const h = handler(async () => {
      if (++calls <= 2) throw new Error(`smtp timeout #${calls}`);
    });
    const outcomes: JobOutcome[] = [];
    const w = new OutboxWorker(queue, { [TOPIC]: h }, options({ onOutcome: (_t, o) => outcomes.push(o) }));

    expect(await w.step()).toBe(true);
    const first = await row(id);
    expect(first).toMatchObject({
      attempts: 1,
      last_error: "smtp timeout #1",
      processed_at: null,
      dead_at: null,
      locked_until: null,
    });
    expect(first.due_in).toBeGreaterThan(0.7);
    expect(first.due_in).toBeLessThanOrEqual(1.2);
    expect(await w.step()).toBe(false); // not due yet

    await fastForward([id]);
    expect(await w.step()).toBe(true);
    const second = await row(id);
    expect(second).toMatchObject({ attempts: 2, last_error: "smtp timeout #2", processed_at: null });
    expect(second.due_in).toBeGreaterThan(1.5);
    expect(second.due_in).toBeLessThanOrEqual(2.4);

    await fastForward([id]);
    expect(await w.step()).toBe(true);
    const done = await row(id);
    expect(done).toMatchObject({ attempts: 3, last_error: null, dead_at: null });
    expect(done.processed_at).not.toBeNull();
    expect(calls).toBe(3);
    expect(outcomes).toEqual(["retry", "retry", "done"]);
    expect(h.dead).toEqual([]);
  });

  it("PermanentJobError: dead at the first failure, onDead called once, never run again", async () => {
    const [id] = await enqueue(1);
    let calls = 0;
    const h = handler(async () => {
      calls++;
      throw new PermanentJobError("SMTP 550: no such user");
    });
    const w = new OutboxWorker(queue, { [TOPIC]: h }, options());
    await w.step();
    const r = await row(id);
    expect(r).toMatchObject({ attempts: 1, last_error: "SMTP 550: no such user", processed_at: null });
    expect(r.dead_at).not.toBeNull();
    await fastForward([id]);
    expect(await w.step()).toBe(false);
    expect(calls).toBe(1);
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]).toMatchObject({ error: "SMTP 550: no such user", job: { id, attempts: 1 } });
  });

  it("out of attempts: dead after WORKER_MAX_ATTEMPTS runs, onDead called once", async () => {
    const [id] = await enqueue(1);
    let calls = 0;
    const h = handler(async () => {
      calls++;
      throw new Error("451 try later");
    });
    const outcomes: JobOutcome[] = [];
    const w = new OutboxWorker(
      queue,
      { [TOPIC]: h },
      options({ maxAttempts: 3, backoffMs: 10, onOutcome: (_t, o) => outcomes.push(o) }),
    );
    for (let i = 0; i < 5; i++) {
      await fastForward([id]);
      await w.step();
    }
    const r = await row(id);
    expect(r).toMatchObject({ attempts: 3, last_error: "451 try later", processed_at: null });
    expect(r.dead_at).not.toBeNull();
    expect(calls).toBe(3);
    expect(outcomes).toEqual(["retry", "retry", "dead"]);
    expect(h.dead).toHaveLength(1);
  });

  it("a job whose runs never ended (the process died in each) goes dead without running once past the attempts", async () => {
    const [id] = await enqueue(1);
    // Three runs began and none ended: what kill -9 during each would leave.
    await t.ds.query("UPDATE outbox SET attempts = 3 WHERE id = $1", [id]);
    let calls = 0;
    const h = handler(async () => void calls++);
    await new OutboxWorker(queue, { [TOPIC]: h }, options({ maxAttempts: 3 })).step();
    const r = await row(id);
    expect(calls).toBe(0);
    expect(r.dead_at).not.toBeNull();
    expect(r.last_error).toContain("never finished");
    expect(h.dead).toHaveLength(1);
  });
});

describe("graceful stop", () => {
  it("lets the job in hand finish and gives back the rest of the batch unspent, for another worker to take at once", async () => {
    const ids = await enqueue(10);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inHand = new Promise<void>((r) => (started = r));
    const ran: string[] = [];
    const h = handler(async (job) => {
      ran.push(job.id);
      started();
      await held;
    });
    const w = new OutboxWorker(queue, { [TOPIC]: h }, options({ batchSize: 10 })).start();
    await inHand;
    const stopped = w.stop();
    release();
    await stopped;

    expect(ran).toEqual([ids[0]]);
    expect((await row(ids[0])).processed_at).not.toBeNull();
    const rest = await t.ds.query(
      "SELECT attempts, locked_by, locked_until, processed_at FROM outbox WHERE id = ANY($1::bigint[])",
      [ids.slice(1)],
    );
    expect(rest).toEqual(Array(9).fill({ attempts: 0, locked_by: null, locked_until: null, processed_at: null }));
    const other = await queue.claim("other-worker", TOPIC, 20, 30_000);
    expect(other.map((j) => j.id).sort()).toEqual(ids.slice(1).sort());
  });
});

describe("several topics", () => {
  it("take turns: a backlog of one topic does not hold up the jobs of another", async () => {
    const OTHER = "group.created";
    await t.ds.query("UPDATE outbox SET processed_at = coalesce(processed_at, now()) WHERE topic = $1", [OTHER]);
    await enqueue(30);
    await enqueueJobs(t.ds, OTHER, 1);
    const ran: string[] = [];
    const w = new OutboxWorker(
      queue,
      { [TOPIC]: handler(async (j) => void ran.push(j.topic)), [OTHER]: handler(async (j) => void ran.push(j.topic)) },
      options({ batchSize: 5 }),
    );
    expect(await w.step()).toBe(true);
    expect(await w.step()).toBe(true);
    // The first step took a batch of the backlog; the second looked at the other topic first.
    expect(ran).toEqual([...Array(5).fill(TOPIC), OTHER]);
  });
});
