import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { logger } from "../log";
import { WakeableSleep } from "./wakeable-sleep";
import type { OutboxTopic } from "../domain/topics";
import { type OutboxJob, type OutboxQueue, type RetryPolicy, isFinalFailure } from "../domain/outbox/outbox.queue";

/** What the worker does with the jobs of one topic. `run` must be safe to repeat: a crash mid-run runs it again. */
export interface JobHandler {
  run(job: OutboxJob): Promise<void>;
  /**
   * Called once when the job goes to the dead letters (out of attempts, or a permanent failure), just before it is
   * marked dead, so a retry of the dead letter always comes after it.
   */
  onDead?(job: OutboxJob, error: string): Promise<void>;
}

/** A failure retrying cannot fix (a refused address, a malformed payload): the job goes to the dead letters at once. */
export class PermanentJobError extends Error {}

export type JobHandlers = Partial<Record<OutboxTopic, JobHandler>>;

export type JobOutcome = "done" | "retry" | "dead";

export interface OutboxWorkerOptions extends RetryPolicy {
  concurrency: number;
  pollMs: number;
  batchSize: number;
  /** How long a claim holds; renewed as each job starts, so it must outlast the longest single job (SMTP timeouts). */
  leaseMs: number;
  /** Told how each job run ended (metrics). */
  onOutcome?: (topic: OutboxTopic, outcome: JobOutcome) => void;
}

/**
 * Runs outbox jobs: `concurrency` loops, each claiming a batch of one topic and running it job by job, marking each
 * done as soon as it ran. Replicas share the queue through OutboxQueue's SKIP LOCKED claims. `stop()` lets the job
 * in hand finish, gives the rest of the batch back, and resolves when every loop has ended.
 */
export class OutboxWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly idle = new WakeableSleep();
  private readonly topics: OutboxTopic[];
  private turn = 0;

  constructor(
    private readonly queue: OutboxQueue,
    private readonly handlers: JobHandlers,
    private readonly opts: OutboxWorkerOptions,
  ) {
    this.topics = Object.keys(handlers) as OutboxTopic[];
  }

  start(): this {
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop(i));
    return this;
  }

  /** A new job (one NOTIFY per job): one idle loop looks at once instead of at its next poll. */
  wake(): void {
    this.idle.wakeOne();
  }

  /** News may have been missed (the LISTEN connection was lost): every idle loop looks. */
  wakeAll(): void {
    this.idle.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeAll();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Claims and runs one batch (of the first topic with due jobs) as `claimer`; false when nothing was due. Each loop
   * claims under a name of its own: a job left waiting in one loop's batch past its lease may be taken by another
   * loop (of this process or a replica), and `begin` then tells the first loop it is no longer its to run.
   */
  async step(claimer = `${this.id}#0`): Promise<boolean> {
    // Topics take turns being looked at first, so a flood of one cannot hold up the others.
    const first = this.turn++ % this.topics.length;
    for (const topic of [...this.topics.slice(first), ...this.topics.slice(0, first)]) {
      const jobs = await this.queue.claim(claimer, topic, this.opts.batchSize, this.opts.leaseMs);
      if (jobs.length === 0) continue;
      for (let i = 0; i < jobs.length; i++) {
        if (this.stopping) {
          await this.queue.release(
            claimer,
            jobs.slice(i).map((j) => j.id),
          );
          break;
        }
        const attempts = await this.queue.begin(claimer, jobs[i].id, this.opts.leaseMs);
        if (attempts !== null) await this.runOne(claimer, this.handlers[topic]!, { ...jobs[i], attempts });
      }
      return true;
    }
    return false;
  }

  private async runOne(claimer: string, handler: JobHandler, job: OutboxJob): Promise<void> {
    try {
      // Past the last attempt only when earlier runs never ended (the process died in them each time): a poison job.
      if (job.attempts > this.opts.maxAttempts)
        throw new PermanentJobError(
          `gave up after ${job.attempts - 1} runs that never finished (the worker stopped during each)`,
        );
      await handler.run(job);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const permanent = e instanceof PermanentJobError;
      // onDead before the job is marked dead: an admin can retry a dead letter only once its onDead is done.
      if (isFinalFailure(job, this.opts, permanent))
        await handler
          .onDead?.(job, error)
          .catch((err) => logger.error({ err, jobId: job.id }, "outbox: onDead failed"));
      const outcome = await this.queue.fail(claimer, job, error, this.opts, permanent);
      logger.warn(
        { jobId: job.id, topic: job.topic, attempts: job.attempts, outcome, err: error },
        `outbox job failed: ${outcome}`,
      );
      if (outcome !== "lost") this.opts.onOutcome?.(job.topic, outcome);
      return;
    }
    await this.queue.complete(job.id);
    this.opts.onOutcome?.(job.topic, "done");
  }

  private async loop(n: number): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.idle.reset();
        const worked = await this.step(`${this.id}#${n}`);
        failures = 0;
        if (!worked) await this.sleep(this.opts.pollMs);
      } catch (e) {
        failures++;
        logger.warn({ err: e, failures, loop: n }, "outbox worker: claim failed, backing off");
        await this.sleep(Math.min(30_000, this.opts.pollMs * 2 ** failures));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.idle.sleep(ms);
  }
}
