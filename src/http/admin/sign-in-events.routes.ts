import { Router } from "express";
import { z } from "zod";
import type { SignInEvent, SignInEventsService } from "../../domain/audit-log/sign-in-events.service";
import { ACCESS_ERROR_CODES } from "../../domain/auth/access-errors";
import { adminCtx } from "./admin-auth";

const When = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

const Query = z.strictObject({
  email: z.string().trim().min(1).max(320).optional(),
  code: z.enum(ACCESS_ERROR_CODES).optional(),
  from: When.optional(),
  to: When.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const present = (e: SignInEvent) => ({
  time: e.time.toISOString(),
  outcome: e.outcome,
  code: e.code,
  email: e.email,
  login: e.login,
  method: e.method,
  reference: e.reference,
  connectionId: e.connectionId,
  userId: e.userId,
});

/** GET /admin/v1/sign-in-events: every sign-in attempt and refusal, newest first (admins and auditors). */
export function signInEventsRouter(events: SignInEventsService): Router {
  const r = Router();
  r.get("/", async (req, res) => {
    const q = Query.parse(req.query);
    const page = await events.page(adminCtx(req, res), q);
    res.json({ items: page.items.map(present), next: page.next });
  });
  return r;
}
