import type { Request, RequestHandler, Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { DataSource } from "typeorm";
import { Problem, sendProblem } from "../shared/problem";
import { PgRateLimitStore } from "../middleware/pg-rate-limit.store";

/**
 * At most `perMinute` requests a minute from one client address (req.ip: see TRUST_PROXY behind a proxy; IPv6 by /56),
 * counted in PostgreSQL, so every replica shares the budget. Over the limit: 429 `rate_limited` as problem+json,
 * with Retry-After and the IETF RateLimit / RateLimit-Policy headers (draft 8).
 */
/** How a limit is answered when not as problem+json (the sign-in page answers with itself, and the message). */
export type OnLimited = (req: Request, res: Response, message: string) => void;

const answer = (onLimited: OnLimited | undefined, req: Request, res: Response, message: string) =>
  onLimited ? onLimited(req, res.status(429), message) : sendProblem(res, new Problem(429, "rate_limited", message));

export function authRateLimit(ds: DataSource, name: string, perMinute: number, onLimited?: OnLimited): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    identifier: name,
    store: new PgRateLimitStore(ds, name),
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res) =>
      answer(
        onLimited,
        req,
        res,
        `Too many requests from your address: at most ${perMinute} a minute; try again after ${res.getHeader("Retry-After") ?? 60} seconds`,
      ),
  });
}

/**
 * At most `failures` failed sign-ins or password changes per account in 15 minutes, from any address: an address limit
 * alone lets one password be tried from many addresses. `keyOf` names the account whichever of its logins was typed
 * (userName or an address, any case), or the login itself when it names none. Successful requests are not counted.
 * Runs after the body parser (the login is in the body); a body without a login is left to validation.
 */
export function accountFailureLimit(
  ds: DataSource,
  failures: number,
  keyOf: (login: string) => Promise<string>,
  onLimited?: OnLimited,
): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: failures,
    identifier: "auth-account",
    store: new PgRateLimitStore(ds, "auth-account"),
    keyGenerator: (req) => keyOf((req.body as { login: string }).login),
    skip: (req) => typeof (req.body as { login?: unknown } | undefined)?.login !== "string",
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res) =>
      answer(
        onLimited,
        req,
        res,
        `Too many failed attempts for this account: try again after ${res.getHeader("Retry-After") ?? 900} seconds`,
      ),
  });
}
