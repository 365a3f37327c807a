import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ClaimedDelivery } from "../domain/webhooks/deliveries.repository";
import type { DeliveryQueue } from "../domain/webhooks/delivery-queue";
import { logger } from "../log";
import { type Attempt, type SenderOptions, attemptDelivery } from "../modules/webhooks/webhook-sender";
import { WakeableSleep } from "./wakeable-sleep";

export interface WebhookLoopsOptions extends SenderOptions {
  /** Delivery loops in this process (WEBHOOK_LOOPS); each sends a claimed batch at once. */
  loops: number;
  /** Deliveries claimed per batch (WEBHOOK_BATCH_SIZE). */
  batchSize: number;
  /** Idle wait between looks for work (WORKER_POLL_MS). */
  pollMs: number;
  /** Claim lease (WORKER_LEASE_MS): a crashed worker's deliveries are sent again once it ends. */
  leaseMs: number;
  /** Events fanned out per dispatcher step. */
  dispatchBatch?: number;
}

/**
 * The worker's delivery loop for webhooks (decision 0121). One dispatcher follows the events feed through its stored
 * cursor and writes a delivery per subscribed endpoint (one at a time across replicas: its cursor row is locked);
 * `loops` delivery loops claim batches of due deliveries (only the oldest pending one of each endpoint and subject,
 * so order per subject holds), send each batch's attempts concurrently over keep-alive connections, and store the
 * batch's results in one statement. A crash between sending and storing sends again with the same webhook-id.
 */
export class WebhookLoops {
  readonly id = `${hostname()}:${process.pid}:wh:${randomUUID().slice(0, 8)}`;
  private running = false;
  private readonly work = new WakeableSleep();
  private readonly feed = new WakeableSleep();
  private tasks: Promise<void>[] = [];

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly o: WebhookLoopsOptions,
  ) {}

  start(): this {
    this.running = true;
    this.tasks = [this.dispatchLoop(), ...Array.from({ length: this.o.loops }, () => this.deliveryLoop())];
    return this;
  }

  /** Looks at the feed now (new events were written). */
  wake(): void {
    this.feed.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.work.wake();
    this.feed.wake();
    await Promise.all(this.tasks);
  }

  /** One dispatcher step and one batch of deliveries, for tests that drive the loop by hand; how many were sent. */
  async step(): Promise<number> {
    await this.queue.dispatch(this.o.dispatchBatch ?? 1000);
    return this.deliverBatch();
  }

  private async dispatchLoop(): Promise<void> {
    const limit = this.o.dispatchBatch ?? 1000;
    while (this.running) {
      this.feed.reset();
      try {
        const step = await this.queue.dispatch(limit);
        if (step.deliveries > 0) this.work.wake();
        if (step.events === limit) continue;
      } catch (err) {
        logger.warn({ err }, "webhooks: dispatching failed (tried again)");
      }
      await this.feed.sleep(this.o.pollMs);
    }
  }

  private async deliveryLoop(): Promise<void> {
    while (this.running) {
      this.work.reset();
      let sent = 0;
      try {
        sent = await this.deliverBatch();
      } catch (err) {
        logger.warn({ err }, "webhooks: a delivery batch failed (its deliveries come back when their lease ends)");
      }
      if (sent === 0) await this.work.sleep(this.o.pollMs);
    }
  }

  private async deliverBatch(): Promise<number> {
    const batch = await this.queue.claim(this.id, this.o.batchSize, this.o.leaseMs);
    if (batch.length === 0) return 0;
    const attempts = await Promise.all(batch.map((d) => this.attempt(d)));
    await this.queue.finish(
      this.id,
      attempts.map((a) => a.result),
    );
    for (const [i, a] of attempts.entries()) {
      if (a.gone) await this.queue.disableGone(batch[i].webhookId, batch[i].id);
    }
    return batch.length;
  }

  private async attempt(d: ClaimedDelivery): Promise<Attempt> {
    try {
      return await attemptDelivery(d, this.queue.secretsOf(d), this.o);
    } catch (err) {
      // a secret that does not open (KEY_ENCRYPTION_SECRET changed): retried, so fixing the key lets it through
      logger.error({ err, delivery: d.id }, "webhooks: could not sign a delivery");
      return {
        result: {
          id: d.id,
          state: "pending",
          status: null,
          error: "cannot sign",
          durationMs: 0,
          response: null,
          delayMs: 60_000,
        },
        gone: false,
      };
    }
  }
}
