import { logger } from "../log";
import { WakeableSleep } from "./wakeable-sleep";
import type { JobHandlers } from "../domain/jobs/job";
import type { JobsService } from "../domain/jobs/jobs.service";

export interface JobsRunnerOptions {
  /** Work loops in this process; 0 runs none (another replica does the work). */
  concurrency: number;
  /** How long an idle loop waits before looking for work again. */
  pollMs: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs admin jobs in this process: each loop takes one item at a time (JobsService.step), so several loops and several
 * replicas share a job safely, and a restart simply carries on with the items left. `stop()` lets the item in hand
 * finish and resolves when every loop has ended (graceful shutdown, and no open handles in tests).
 */
export class JobsRunner {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly idle = new WakeableSleep();

  constructor(
    private readonly jobs: JobsService,
    private readonly handlers: JobHandlers,
    private readonly opts: JobsRunnerOptions,
  ) {}

  start(): this {
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  /** New work: idle loops look at once instead of at their next poll. */
  wake(): void {
    this.idle.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.idle.reset();
        const worked = await this.jobs.step(this.handlers);
        failures = 0;
        if (!worked) await this.sleep(this.opts.pollMs);
      } catch (e) {
        failures++;
        logger.warn({ err: e, failures }, "admin job runner: step failed, backing off");
        await this.sleep(Math.min(MAX_BACKOFF_MS, this.opts.pollMs * 2 ** failures));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.idle.sleep(ms);
  }
}
