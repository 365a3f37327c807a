import type { Response } from "express";

/**
 * Seconds a client is asked to wait after a 503 (the database away, stalled or too busy): about the time a stall
 * takes to be noticed (DB_QUERY_TIMEOUT_MS) and fresh connections to be opened.
 */
export const RETRY_AFTER_SECONDS = 5;

/** Every 503 of every door says when to come back (RFC 9110 §10.2.3); IdPs and scripts back off by it. */
export function setRetryAfterOn503(res: Response, status: number): void {
  if (status === 503) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
}
