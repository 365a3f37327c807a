import { logger } from "../log";
import { WakeableSleep } from "./wakeable-sleep";
import type { ImportBatches } from "../domain/imports/import-batches";

const MAX_BACKOFF_MS = 30_000;

/**
 * Works imports in this process: each loop applies one batch at a time (ImportBatches.step), so loops and replicas
 * share an import, and a process started after a crash carries on from the last committed batch. `stop()` lets the
 * batch in hand commit and resolves when every loop has ended.
 */
export class ImportsRunner {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly idle = new WakeableSleep();

  constructor(
    private readonly batches: Pick<ImportBatches, "step">,
    private readonly opts: { concurrency: number; pollMs: number },
  ) {}

  start(): this {
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

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
        const worked = await this.batches.step();
        failures = 0;
        if (!worked) await this.sleep(this.opts.pollMs);
      } catch (e) {
        failures++;
        logger.warn({ err: e, failures }, "imports: a batch failed, backing off (it is claimed again)");
        await this.sleep(Math.min(MAX_BACKOFF_MS, this.opts.pollMs * 2 ** failures));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.idle.sleep(ms);
  }
}
