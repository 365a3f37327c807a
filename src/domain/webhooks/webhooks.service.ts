import type { DataSource } from "typeorm";
import { PrivateTargetError, assertPublicTarget } from "../../net/outbound-target";
import type { Ctx, TxCtx } from "../context";
import type { Effects } from "../effects";
import { InvalidError, NotFoundError, RefusedError } from "../errors";
import { isUuid } from "../ids";
import type { SecretBox } from "../secret-box";
import { recordIn, unitOfWork, withDb, writeIn } from "../unit-of-work";
import { type Delivery, DeliveriesRepository } from "./deliveries.repository";
import { type Webhook, WebhooksRepository } from "./webhooks.repository";
import { SECRET_PURPOSE, description, newWebhookSecret, subscribedTypes } from "./webhooks.rules";

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string | null;
}

export interface WebhooksOptions {
  /** ALLOW_PRIVATE_TARGETS: private, loopback and link-local targets (and plain http) allowed. */
  allowPrivate: boolean;
  /** How long a rotated-out secret still signs, unless the rotation says otherwise (WEBHOOK_SECRET_OVERLAP). */
  overlapMs: number;
  /** The sealed-secret box, made on first use (it may create the key file). */
  box: () => SecretBox;
}

/**
 * Webhook endpoints, for admins (decision 0121): created with a generated secret shown once (stored sealed, read back
 * by the worker to sign), listed, changed, disabled and enabled, their secret rotated (both sign during an overlap),
 * deleted; their deliveries listed and retried. Every change is audited (`webhook.*`). Endpoints concern the whole
 * organisation: an admin limited to some entities gets `out_of_scope`. The target is checked when given (public
 * addresses after DNS resolution, unless ALLOW_PRIVATE_TARGETS) and again at every delivery.
 */
export class WebhooksService {
  private readonly repo = new WebhooksRepository();
  private readonly deliveries = new DeliveriesRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly o: WebhooksOptions,
  ) {}

  async create(ctx: Ctx, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    wholeOrganisation(ctx);
    const url = await this.target(input.url);
    const events = subscribedTypes(input.events);
    const secret = newWebhookSecret();
    const sealed = this.o.box().seal(secret, SECRET_PURPOSE);
    const webhook = await unitOfWork(this.ds, ctx, async (tx) => {
      const row = await writeIn<Webhook>(tx, this.repo.insert(url, events, description(input.description), sealed), {
        audits: [],
        events: [],
      });
      await this.audit(tx, "webhook.created", row!.id, { url, events });
      return row!;
    });
    return { webhook, secret };
  }

  async list(ctx: Ctx, after: { createdAt: string; id: string } | null, limit: number) {
    wholeOrganisation(ctx);
    const rows = (await withDb(() => this.repo.page(this.ds.manager, after, limit + 1))) as (Webhook & {
      key: string;
    })[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit ? { createdAt: last.key, id: last.id } : null };
  }

  async get(ctx: Ctx, id: string): Promise<Webhook> {
    wholeOrganisation(ctx);
    const w = isUuid(id) ? await withDb(() => this.repo.find(this.ds.manager, id)) : null;
    if (!w) throw new NotFoundError("Webhook", id);
    return w;
  }

  async update(ctx: Ctx, id: string, patch: Partial<WebhookInput>): Promise<Webhook> {
    wholeOrganisation(ctx);
    const url = patch.url === undefined ? undefined : await this.target(patch.url);
    const events = patch.events === undefined ? undefined : subscribedTypes(patch.events);
    const desc = patch.description === undefined ? undefined : description(patch.description);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const cur = await this.lock(tx, id);
      const next = {
        url: url ?? cur.url,
        events: events ?? cur.events,
        description: desc === undefined ? cur.description : desc,
      };
      const changes = diff(cur, next);
      if (Object.keys(changes).length === 0) return cur;
      const row = await writeIn<Webhook>(tx, this.repo.update(id, next.url, next.events, next.description), none());
      await this.audit(tx, "webhook.updated", id, changes);
      return row!;
    });
  }

  /** Disables or enables an endpoint; disabled, it gets no new deliveries and its pending ones wait. */
  async setEnabled(ctx: Ctx, id: string, enabled: boolean, reason: string | null = null): Promise<Webhook> {
    wholeOrganisation(ctx);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const cur = await this.lock(tx, id);
      const why = enabled ? null : (reason ?? "admin");
      const row = await writeIn<Webhook>(tx, this.repo.setEnabled(id, enabled, why), none());
      if (!row) return cur;
      await this.audit(tx, enabled ? "webhook.enabled" : "webhook.disabled", id, {
        enabled: { before: !enabled, after: enabled },
        ...(why ? { reason: why } : {}),
      });
      return row;
    });
  }

  /** A new secret, shown once; the previous one still signs for `overlapMs` (WEBHOOK_SECRET_OVERLAP by default). */
  async rotateSecret(ctx: Ctx, id: string, overlapMs?: number): Promise<{ webhook: Webhook; secret: string }> {
    wholeOrganisation(ctx);
    const secret = newWebhookSecret();
    const sealed = this.o.box().seal(secret, SECRET_PURPOSE);
    const overlap = overlapMs ?? this.o.overlapMs;
    const webhook = await unitOfWork(this.ds, ctx, async (tx) => {
      await this.lock(tx, id);
      const row = await writeIn<Webhook>(tx, this.repo.rotate(id, sealed, overlap), none());
      await this.audit(tx, "webhook.secret_rotated", id, { overlapMs: overlap });
      return row!;
    });
    return { webhook, secret };
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    wholeOrganisation(ctx);
    await unitOfWork(this.ds, ctx, async (tx) => {
      const cur = await this.lock(tx, id);
      await writeIn(tx, this.repo.remove(id), none());
      await this.audit(tx, "webhook.deleted", id, { url: cur.url, events: cur.events });
    });
  }

  async deliveriesOf(ctx: Ctx, id: string, state: string | null, before: string | null, limit: number) {
    await this.get(ctx, id);
    const rows = await withDb(() => this.deliveries.page(this.ds.manager, id, state, before, limit + 1));
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? items[items.length - 1].id : null };
  }

  /** Sends a delivery again (due at once, whatever its state); 409 `delivery_in_flight` while an attempt runs. */
  async retryDelivery(ctx: Ctx, id: string, deliveryId: string): Promise<Delivery> {
    wholeOrganisation(ctx);
    if (!/^[1-9]\d{0,17}$/.test(deliveryId)) throw new NotFoundError("Delivery", deliveryId);
    return unitOfWork(this.ds, ctx, async (tx) => {
      await this.lock(tx, id);
      const d = await this.deliveries.requeue(tx.manager, id, deliveryId);
      if (d === null) throw new NotFoundError("Delivery", deliveryId);
      if (d === "in_flight")
        throw new RefusedError("delivery_in_flight", "conflict", `Delivery ${deliveryId} is being attempted now`);
      await this.audit(tx, "webhook.delivery_retried", id, { deliveryId, eventId: d.eventId });
      return d;
    });
  }

  private async target(url: string): Promise<string> {
    if (url.length > 2000) throw new InvalidError("url", "at most 2000 characters");
    try {
      return (await assertPublicTarget(url, this.o.allowPrivate)).href;
    } catch (e) {
      if (e instanceof PrivateTargetError) throw new InvalidError("url", e.reason);
      throw e;
    }
  }

  private async lock(tx: TxCtx, id: string): Promise<Webhook> {
    const w = isUuid(id) ? await this.repo.lock(tx.manager, id) : null;
    if (!w) throw new NotFoundError("Webhook", id);
    return w;
  }

  private audit(tx: TxCtx, action: string, id: string, changes: Record<string, unknown>): Promise<void> {
    return recordIn(tx, { audits: [{ action, subject: { type: "webhook", id }, changes }], events: [] });
  }
}

const none = (): Effects => ({ audits: [], events: [] });

function diff(cur: Webhook, next: { url: string; events: string[]; description: string | null }) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (cur.url !== next.url) changes.url = { before: cur.url, after: next.url };
  if (cur.events.join() !== next.events.join()) changes.events = { before: cur.events, after: next.events };
  if (cur.description !== next.description) changes.description = { before: cur.description, after: next.description };
  return changes;
}

function wholeOrganisation(ctx: Ctx): void {
  if (ctx.entityScope) {
    throw new RefusedError(
      "out_of_scope",
      "forbidden",
      "Webhooks concern the whole organisation: an admin limited to some entities cannot see or change them",
    );
  }
}
