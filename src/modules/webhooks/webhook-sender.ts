import { Webhook } from "standardwebhooks";
import type { AttemptResult, ClaimedDelivery } from "../../domain/webhooks/deliveries.repository";
import { outcomeOf, retryDelayMs } from "../../domain/webhooks/webhooks.rules";
import { PrivateTargetError, outboundFetch } from "../../net/outbound-target";

export interface SenderOptions {
  /** ALLOW_PRIVATE_TARGETS: checked again at every attempt (the name may resolve elsewhere since it was given). */
  allowPrivate: boolean;
  /** Bound of one attempt, connect to the last byte read (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  /** Delays after the 1st, 2nd, ... failed attempt (WEBHOOK_RETRY_SCHEDULE); spent = the delivery failed. */
  scheduleMs: readonly number[];
}

export interface Attempt {
  result: AttemptResult;
  /** The endpoint answered 410 Gone: it is to be disabled. */
  gone: boolean;
}

const EXCERPT_BYTES = 1024;
const signers = new Map<string, Webhook>();

/** The Standard Webhooks signer of a `whsec_` secret (its key decoded once). */
function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    if (signers.size > 1000) signers.clear();
    w = new Webhook(secret);
    signers.set(secret, w);
  }
  return w;
}

/**
 * One attempt of a delivery, per Standard Webhooks: body `{type, timestamp, data}` (data: the event as the feed shows
 * it), `webhook-id` the event's id (the same at every attempt, so a receiver drops repeats), `webhook-timestamp` now,
 * `webhook-signature` one `v1,<sig>` per secret (two during a rotation's overlap). Through `outboundFetch`: the target
 * checked after DNS resolution, redirects not followed (a 3xx is a failure), the attempt bounded in time.
 */
export async function attemptDelivery(d: ClaimedDelivery, secrets: string[], o: SenderOptions): Promise<Attempt> {
  const body = JSON.stringify({ type: d.payload.type, timestamp: d.payload.time, data: d.payload });
  const now = new Date();
  const signature = secrets.map((s) => signer(s).sign(d.eventId, now, body)).join(" ");
  const started = performance.now();
  let status: number | null = null;
  let response: string | null = null;
  let error: string | null = null;
  let refused = false;
  try {
    const res = await outboundFetch(
      d.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Roster-Webhooks/1",
          "webhook-id": d.eventId,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": signature,
        },
        body,
      },
      { allowPrivate: o.allowPrivate, timeoutMs: o.timeoutMs },
    );
    status = res.status;
    response = await excerpt(res.body);
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    refused = isRefusal(e);
    error = describe(e);
  }
  const durationMs = Math.round(performance.now() - started);
  const outcome = outcomeOf(status, refused);
  const delay = outcome === "retry" ? retryDelayMs(d.attempts, o.scheduleMs) : null;
  const state = outcome === "delivered" ? "delivered" : delay !== null ? "pending" : "failed";
  return {
    result: { id: d.id, state, status, error, durationMs, response, delayMs: delay ?? 0 },
    gone: outcome === "gone",
  };
}

/** The first KiB of the answer's body, read to its end when short (so the connection is kept for the next one). */
async function excerpt(body: import("node:stream/web").ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    if (size > EXCERPT_BYTES) await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8");
  // PostgreSQL text cannot hold NUL
  return text.length > 0 ? text.replaceAll("\u0000", "") : null;
}

/** A private target, refused before sending or at connect time (the name resolved to a private address). */
function isRefusal(e: unknown): boolean {
  if (e instanceof PrivateTargetError) return true;
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code === "EPRIVATE";
}

function describe(e: unknown): string {
  if (e instanceof PrivateTargetError) return `private_target: ${e.reason}`;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return "timeout";
  if (err.cause?.code === "EPRIVATE") return "private_target: resolves to a non-public address";
  return (err.cause?.code ?? err.cause?.message ?? err.message ?? "error").slice(0, 300);
}
