import type { Request, RequestHandler, Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { DataSource } from "typeorm";
import { BatchedRateLimitStore } from "../middleware/batched-rate-limit.store";
import { PgRateLimitStore } from "../middleware/pg-rate-limit.store";
import type { AuthLocals } from "../middleware/request-context";
import { ScimError, sendScimError } from "./scim-errors";

const WINDOW_MS = 60_000;
/** Hits a process adds up before it writes them (BatchedRateLimitStore): 1% of the budget, so one upsert per 60 requests at 6000. */
const BATCH_SHARE = 0.01;

/** The SCIM door's per-credential budget: the limiter after bearer auth, and the extra count of a /Bulk request. */
export interface ScimRateLimit {
  /** Counts the request against its credential; over the budget, answers 429. */
  perRequest: RequestHandler;
  /** Counts a /Bulk request's operations beyond the first (perRequest counted it as one); over the budget, throws a 429. */
  chargeBulk(req: Request, res: Response, operations: number): Promise<void>;
}

/** Whom a SCIM request is counted against: the Roster token's id, or a JWT's issuer and subject (the acting client). */
export function rateLimitKeyOf(auth: AuthLocals): string {
  return auth.credential === "jwt"
    ? `jwt:${JSON.stringify([auth.actor.name, auth.actor.id])}`
    : `token:${auth.actor.id}`;
}

/**
 * RFC 6585 §4 and RFC 7644 §3.12: at most `perMinute` requests a minute per credential, counted in PostgreSQL so every
 * replica shares the budget (0 = no limit). Over it: 429 with `Retry-After` (seconds), a SCIM error body, and the IETF
 * RateLimit / RateLimit-Policy headers (draft 8), as the auth door sends them. A /Bulk request counts its operations.
 * Each process writes its hits in batches of 1% of the budget, so each replica may let through up to 1% more.
 */
export function scimRateLimit(ds: DataSource, perMinute: number): ScimRateLimit {
  if (perMinute === 0) return { perRequest: (_req, _res, next) => next(), chargeBulk: async () => undefined };
  const store = new BatchedRateLimitStore(
    new PgRateLimitStore(ds, "scim"),
    Math.max(1, Math.floor(perMinute * BATCH_SHARE)),
  );
  const detail = (retryAfter: unknown) =>
    `Too many requests for this credential: at most ${perMinute} a minute (a /Bulk request counts each operation); retry after ${retryAfter ?? 60} seconds`;
  const keyOf = (res: Response) => rateLimitKeyOf(res.locals.auth as AuthLocals);
  const perRequest = rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    identifier: "scim",
    store,
    keyGenerator: (_req, res) => keyOf(res),
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, res) => sendScimError(res, 429, null, detail(res.getHeader("Retry-After"))),
  });
  return {
    perRequest,
    async chargeBulk(_req, res, operations) {
      if (operations <= 1) return;
      const { totalHits, resetTime } = await store.add(keyOf(res), operations - 1);
      if (totalHits <= perMinute) return;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000));
      res.set("Retry-After", String(retryAfter));
      throw new ScimError(429, null, detail(retryAfter));
    },
  };
}
