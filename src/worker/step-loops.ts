import { logger } from "../log";
import { WakeableSleep } from "./wakeable-sleep";

export interface StepLoopsOptions {
  /** Work loops in this process; 0 runs none (another replica does the work). */
  concurrency: number;
  /** How long an idle loop waits before looking for work again. */
  pollMs: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Loops that each run `step` (claim one piece of work, do it, commit; false when there was none) until stopped: idle
 * loops sleep `pollMs` unless woken, a failing step backs off exponentially. Several loops and several replicas share
 * the work through the step's own claims. `stop()` lets the step in hand finish and resolves when every loop has ended.
 */
export class StepLoops {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly idle = new WakeableSleep();

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly opts: StepLoopsOptions,
    /** Logged when a step fails. */
    private readonly failure: string,
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
        const worked = await this.step();
        failures = 0;
        if (!worked) await this.sleep(this.opts.pollMs);
      } catch (e) {
        failures++;
        logger.warn({ err: e, failures }, this.failure);
        await this.sleep(Math.min(MAX_BACKOFF_MS, this.opts.pollMs * 2 ** failures));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.idle.sleep(ms);
  }
}
