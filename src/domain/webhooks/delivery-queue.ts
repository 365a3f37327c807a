import type { DataSource } from "typeorm";
import { type Ctx, systemActor } from "../context";
import type { SecretBox } from "../secret-box";
import { withDb, writeAlone } from "../unit-of-work";
import { type AttemptResult, type ClaimedDelivery, DeliveriesRepository } from "./deliveries.repository";
import { WebhooksRepository } from "./webhooks.repository";
import { SECRET_PURPOSE } from "./webhooks.rules";

const system: Ctx = { actor: systemActor, door: "system", requestId: null };

/**
 * The worker's side of webhooks (src/worker/webhooks.loop.ts): the dispatcher's step (feed -> deliveries), claims of
 * due deliveries, their results, endpoints a 410 retired, pruning, and the secrets that sign (opened once each).
 */
export class DeliveryQueue {
  private readonly repo = new DeliveriesRepository();
  private readonly webhooks = new WebhooksRepository();
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly ds: DataSource,
    private readonly box: () => SecretBox,
  ) {}

  dispatch(limit: number) {
    return withDb(() => this.repo.dispatch(this.ds.manager, limit));
  }

  claim(workerId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return withDb(() => this.repo.claim(this.ds.manager, workerId, limit, leaseMs));
  }

  finish(workerId: string, results: AttemptResult[]): Promise<void> {
    return withDb(() => this.repo.finish(this.ds.manager, workerId, results));
  }

  release(workerId: string, ids: string[]): Promise<void> {
    return withDb(() => this.repo.release(this.ds.manager, workerId, ids));
  }

  /** The secrets a delivery is signed with: the current one, and the previous one while its overlap lasts. */
  secretsOf(d: ClaimedDelivery): string[] {
    return [d.secretSealed, d.previousSealed].filter((s): s is string => s !== null).map((s) => this.open(s));
  }

  /** An endpoint that answered 410 Gone is disabled (audited `webhook.disabled`, reason `gone`). */
  async disableGone(webhookId: string, deliveryId: string): Promise<void> {
    await writeAlone(this.ds, system, this.webhooks.setEnabled(webhookId, false, "gone"), {
      audits: [
        {
          action: "webhook.disabled",
          subject: { type: "webhook", id: webhookId },
          changes: { enabled: { before: true, after: false }, reason: "gone", deliveryId },
        },
      ],
      events: [],
    });
  }

  /** Deletes finished deliveries older than `days`, a batch at a time. */
  async prune(days: number, batch = 5000): Promise<number> {
    let total = 0;
    let n: number;
    do {
      n = await withDb(() => this.repo.prune(this.ds.manager, days, batch));
      total += n;
    } while (n === batch);
    return total;
  }

  private open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.box().open(sealed, SECRET_PURPOSE);
      if (this.opened.size > 1000) this.opened.clear();
      this.opened.set(sealed, plain);
    }
    return plain;
  }
}
