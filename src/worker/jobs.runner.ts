import { logger } from "../log";
import { JobHandlers } from "../domain/jobs/job";
import { JobsService } from "../domain/jobs/jobs.service";

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
  private woken = false;
  private loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly jobs: JobsService, private readonly handlers: JobHandlers, private readonly opts: JobsRunnerOptions) {}

  start(): this {
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  /** New work: idle loops look at once instead of at their next poll. */
  wake(): void {
    this.woken = true;
    for (const wake of [...this.sleepers]) wake();
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
        this.woken = false;
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
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
