import { Router } from "express";
import { z } from "zod";
import { NOT_A_CURSOR, cursorText, encodeCursor } from "../../domain/cursor";
import type { Delivery } from "../../domain/webhooks/deliveries.repository";
import type { Webhook } from "../../domain/webhooks/webhooks.repository";
import type { WebhooksService } from "../../domain/webhooks/webhooks.service";
import { Problem } from "../shared/problem";
import { adminCtx } from "./admin-auth";

const url = z.string().min(1).max(2000);
const events = z.array(z.string().max(100)).min(1).max(50);
const description = z.string().max(500).nullable();

const createBody = z.strictObject({ url, events, description: description.optional() });
const updateBody = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  description: description.optional(),
});
const rotateBody = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
});
const listQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const deliveriesQuery = listQuery.extend({ state: z.enum(["pending", "delivered", "failed"]).optional() });

const KEY_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function webhookCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, ...rest] = (cursorText(cursor) ?? "").split("|");
  if (rest.length || !KEY_TIME.test(createdAt ?? "") || !UUID.test(id ?? ""))
    throw new Problem(400, "invalid_value", `cursor: ${NOT_A_CURSOR}`, "cursor");
  return { createdAt, id };
}

function deliveryCursor(cursor: string): string {
  const id = cursorText(cursor) ?? "";
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Problem(400, "invalid_value", `cursor: ${NOT_A_CURSOR}`, "cursor");
  return id;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const present = (w: Webhook) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  enabled: w.enabled,
  disabledReason: w.disabledReason,
  previousSecretValidUntil:
    w.previousSecretUntil && w.previousSecretUntil > new Date() ? iso(w.previousSecretUntil) : null,
  createdAt: iso(w.createdAt),
  updatedAt: iso(w.updatedAt),
});

const presentDelivery = (d: Delivery) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.state,
  attempt: d.attempts,
  nextAttemptAt: d.state === "pending" ? iso(d.nextAt) : null,
  responseStatus: d.lastStatus,
  error: d.lastError,
  durationMs: d.lastDurationMs,
  responseExcerpt: d.lastResponse,
  attemptedAt: iso(d.lastAttemptAt),
  attempts: d.attemptLog,
  createdAt: iso(d.createdAt),
});

/**
 * `/admin/v1/webhooks`: endpoints (create with the secret shown once, list, read, change, disable, enable, rotate the
 * secret, delete) and their deliveries (list, retry). Reading is open to auditors; the rest to admins.
 */
export function webhooksRouter(webhooks: WebhooksService): Router {
  const r = Router();

  r.post("/", async (req, res) => {
    const b = createBody.parse(req.body);
    const { webhook, secret } = await webhooks.create(adminCtx(req, res), b);
    res
      .status(201)
      .location(`${req.baseUrl}/${webhook.id}`)
      .json({ ...present(webhook), secret });
  });

  r.get("/", async (req, res) => {
    const q = listQuery.parse(req.query);
    const page = await webhooks.list(adminCtx(req, res), q.cursor ? webhookCursor(q.cursor) : null, q.limit);
    res.json({
      items: page.items.map(present),
      next: page.next ? encodeCursor(`${page.next.createdAt}|${page.next.id}`) : null,
    });
  });

  r.get("/:id", async (req, res) => {
    res.json(present(await webhooks.get(adminCtx(req, res), String(req.params.id))));
  });

  r.patch("/:id", async (req, res) => {
    const b = updateBody.parse(req.body);
    res.json(present(await webhooks.update(adminCtx(req, res), String(req.params.id), b)));
  });

  r.delete("/:id", async (req, res) => {
    await webhooks.remove(adminCtx(req, res), String(req.params.id));
    res.status(204).end();
  });

  r.post("/:id/disable", async (req, res) => {
    res.json(present(await webhooks.setEnabled(adminCtx(req, res), String(req.params.id), false)));
  });

  r.post("/:id/enable", async (req, res) => {
    res.json(present(await webhooks.setEnabled(adminCtx(req, res), String(req.params.id), true)));
  });

  r.post("/:id/rotate-secret", async (req, res) => {
    const b = rotateBody.parse(req.body ?? {});
    const overlap = b.overlapSeconds === undefined ? undefined : b.overlapSeconds * 1000;
    const { webhook, secret } = await webhooks.rotateSecret(adminCtx(req, res), String(req.params.id), overlap);
    res.json({ ...present(webhook), secret });
  });

  r.get("/:id/deliveries", async (req, res) => {
    const q = deliveriesQuery.parse(req.query);
    const before = q.cursor ? deliveryCursor(q.cursor) : null;
    const page = await webhooks.deliveriesOf(
      adminCtx(req, res),
      String(req.params.id),
      q.state ?? null,
      before,
      q.limit,
    );
    res.json({ items: page.items.map(presentDelivery), next: page.next ? encodeCursor(page.next) : null });
  });

  r.post("/:id/deliveries/:deliveryId/retry", async (req, res) => {
    const d = await webhooks.retryDelivery(adminCtx(req, res), String(req.params.id), String(req.params.deliveryId));
    res.status(202).json(presentDelivery(d));
  });

  return r;
}
