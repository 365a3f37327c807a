import { type AuditSealer, SEAL_BATCH } from "../domain/audit-log/audit-sealer";
import { logger } from "../log";

const MAX_BACKOFF_MS = 30_000;

/**
 * Seals committed audit records every `intervalMs` in this process (every server runs one: the head's lock is taken
 * with SKIP LOCKED, so loops of several replicas never queue behind each other, one seals and the rest skip a turn).
 * A full batch is followed at once by the next. `stop()` lets the batch in hand commit and resolves when the loop ends.
 */
export class AuditSealLoop {
  private stopping = false;
  private running: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly sealer: AuditSealer,
    private readonly intervalMs: number,
  ) {}

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const sealed = await this.sealer.sealBatch(SEAL_BATCH);
        failures = 0;
        if (sealed !== SEAL_BATCH) await this.sleep(this.intervalMs);
      } catch (e) {
        failures++;
        logger.warn({ err: e, failures }, "audit sealer: sealing failed, backing off");
        await this.sleep(Math.min(MAX_BACKOFF_MS, this.intervalMs * 2 ** failures));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }
}
