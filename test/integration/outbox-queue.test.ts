import { OutboxQueue } from "../../src/domain/outbox/outbox.queue";
import { OutboxWorker } from "../../src/worker/outbox.worker";
import { startTestApp, type TestApp } from "../support/app";
import { enqueueJobs } from "../support/outbox";

// Claims, leases, concurrency and pruning of the outbox as a queue, on the real PostgreSQL; no module consumes the
// topics used here, so only these tests' claimers take them.
let t: TestApp;
let queue: OutboxQueue;
beforeAll(async () => {
  t = await startTestApp();
  queue = new OutboxQueue(t.ds);
});
afterAll(async () => t.close());

const TOPIC = "group.updated";

const enqueue = (n: number, topic = TOPIC) => enqueueJobs(t.ds, topic, n);

beforeEach(() =>
  t.ds.query("UPDATE outbox SET processed_at = coalesce(processed_at, now()) WHERE topic = $1", [TOPIC]),
);

describe("leases", () => {
  it("a claimed job is nobody else's until its lease ends; then another worker takes it and the first may no longer run or fail it", async () => {
    const [id] = await enqueue(1);
    const [mine] = await queue.claim("worker-a", TOPIC, 10, 400);
    expect(mine).toMatchObject({ id, attempts: 0 });
    expect(await queue.claim("worker-b", TOPIC, 10, 400)).toEqual([]);

    await new Promise((r) => setTimeout(r, 500));
    const [theirs] = await queue.claim("worker-b", TOPIC, 10, 30_000);
    expect(theirs.id).toBe(id);
    // worker-a comes back to it (it waited in a batch past the lease): it is not its job any more.
    expect(await queue.begin("worker-a", id, 30_000)).toBeNull();
    expect(
      await queue.fail("worker-a", { ...mine, attempts: 1 }, "late", { maxAttempts: 1, backoffMs: 10 }, true),
    ).toBe("lost");
    expect(await queue.begin("worker-b", id, 30_000)).toBe(1);
    const [row] = await t.ds.query("SELECT locked_by, dead_at, last_error FROM outbox WHERE id = $1", [id]);
    expect(row).toEqual({ locked_by: "worker-b", dead_at: null, last_error: null });
  });

  it("begin renews the lease of the job about to run, so a long batch does not lose its later jobs", async () => {
    const [id] = await enqueue(1);
    await queue.claim("worker-a", TOPIC, 10, 300);
    await new Promise((r) => setTimeout(r, 200));
    expect(await queue.begin("worker-a", id, 30_000)).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await queue.claim("worker-b", TOPIC, 10, 300)).toEqual([]);
  });
});

describe("concurrency", () => {
  it("concurrent claimers get disjoint jobs and together get them all", async () => {
    const ids = await enqueue(300);
    const claimers = Array.from({ length: 6 }, (_, k) =>
      (async () => {
        const got: string[] = [];
        for (;;) {
          const jobs = await queue.claim(`claimer-${k}`, TOPIC, 7, 60_000);
          if (jobs.length === 0) return got;
          got.push(...jobs.map((j) => j.id));
        }
      })(),
    );
    const results = await Promise.all(claimers);
    const all = results.flat();
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    expect([...all].sort()).toEqual([...ids].sort());
    // Every claimer took part (the claims interleaved rather than one taking everything).
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
  });

  it("two workers with several loops each run every job exactly once", async () => {
    const ids = await enqueue(200);
    const runs = new Map<string, number>();
    const byWorker = new Map<string, number>();
    const make = () => {
      const w: OutboxWorker = new OutboxWorker(
        queue,
        {
          [TOPIC]: {
            run: async (job) => {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              byWorker.set(w.id, (byWorker.get(w.id) ?? 0) + 1);
              await new Promise((r) => setTimeout(r, 2));
            },
          },
        },
        { concurrency: 3, pollMs: 20, batchSize: 5, leaseMs: 30_000, maxAttempts: 3, backoffMs: 100 },
      );
      return w;
    };
    const workers = [make().start(), make().start()];
    const deadline = Date.now() + 20_000;
    while (runs.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await Promise.all(workers.map((w) => w.stop()));
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(byWorker.size).toBe(2);
    const [left] = await t.ds.query(
      "SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND processed_at IS NULL",
      [ids],
    );
    expect(left.n).toBe(0);
  });
});

describe("loops of one worker", () => {
  it("a slow batch outliving its lease: idle loops take its waiting jobs, and no job runs twice", async () => {
    const ids = await enqueue(40);
    const runs = new Map<string, number>();
    const w = new OutboxWorker(
      queue,
      {
        [TOPIC]: {
          run: async (job) => {
            runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
            await new Promise((r) => setTimeout(r, 60));
          },
        },
      },
      { concurrency: 4, pollMs: 20, batchSize: 20, leaseMs: 500, maxAttempts: 3, backoffMs: 100 },
    ).start();
    const deadline = Date.now() + 20_000;
    while (runs.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await w.stop();
    expect(runs.size).toBe(40);
    expect([...runs.entries()].filter(([, n]) => n > 1)).toEqual([]);
    // Two loops claimed the 40 jobs (20 each) and took 1.2 s over them: the idle loops stole what waited past 500 ms.
    const claimers = await t.ds.query(
      "SELECT count(DISTINCT locked_by)::int AS n FROM outbox WHERE id = ANY($1::bigint[])",
      [ids],
    );
    expect(claimers[0].n).toBeGreaterThan(2);
  });
});

describe("prune", () => {
  it("deletes events done long ago and old events no module consumes; keeps recent ones, work still to do and dead letters", async () => {
    const at = (days: number) => `now() - interval '${days} days'`;
    const insert = async (topic: string, created: number, processed: number | null, dead = false) =>
      (
        await t.ds.query(
          `INSERT INTO outbox (topic, payload, created_at, processed_at, dead_at)
       VALUES ($1, '{}', ${at(created)}, ${processed === null ? "NULL" : at(processed)}, ${dead ? at(created) : "NULL"}) RETURNING id::text`,
          [topic],
        )
      )[0].id as string;
    const consumed = ["invitation.requested"] as const;
    const doneOld = await insert("invitation.requested", 10, 9);
    const doneRecent = await insert("invitation.requested", 10, 1);
    const unconsumedOld = await insert("user.updated", 10, null);
    const unconsumedRecent = await insert("user.updated", 2, null);
    const todoOld = await insert("invitation.requested", 10, null);
    const deadOld = await insert("invitation.requested", 30, null, true);
    const mine = [doneOld, doneRecent, unconsumedOld, unconsumedRecent, todoOld, deadOld];

    // One batch at a time, as the worker does until a batch comes back empty.
    let total = 0;
    for (let n = await queue.prune(7, [...consumed], 1); n > 0; n = await queue.prune(7, [...consumed], 1)) {
      expect(n).toBe(1);
      total += n;
    }
    expect(total).toBeGreaterThanOrEqual(2);
    const left = (await t.ds.query("SELECT id::text FROM outbox WHERE id = ANY($1::bigint[])", [mine])).map(
      (r: { id: string }) => r.id,
    );
    expect(left.sort()).toEqual([doneRecent, unconsumedRecent, todoOld, deadOld].sort());
  });
});
