import { randomBytes } from "node:crypto";
import { EVENT_TYPES, isEventType } from "../feed";
import { InvalidError } from "../errors";

/** The purpose a webhook secret is sealed under (src/domain/secret-box.ts): it opens for nothing else. */
export const SECRET_PURPOSE = "webhook.secret";

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64, the form the `standardwebhooks` package reads. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString("base64")}`;

/** The event types a webhook subscribes to: known feed types, at least one, each once (in the order given). */
export function subscribedTypes(types: string[]): string[] {
  if (types.length === 0) throw new InvalidError("events", "name at least one event type");
  const unknown = types.find((t) => !isEventType(t));
  if (unknown !== undefined)
    throw new InvalidError("events", `'${unknown.slice(0, 64)}' is not an event type (${EVENT_TYPES.join(", ")})`);
  return [...new Set(types)];
}

/** A description: trimmed, at most 500 characters, empty = none. */
export function description(d: string | null | undefined): string | null {
  const v = d?.trim() ?? "";
  if (v.length > 500) throw new InvalidError("description", "at most 500 characters");
  return v || null;
}

/**
 * What happens after an attempt that did not succeed: the delay before the next one (the schedule's entry for this
 * attempt, ±10% so endpoints coming back are not hit by every retry at once), or null when the schedule is spent.
 */
export function retryDelayMs(attempts: number, scheduleMs: readonly number[], random = Math.random): number | null {
  const base = scheduleMs[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** The outcome of one attempt, from the receiver's status (or none: no answer). */
export type AttemptOutcome = "delivered" | "retry" | "gone" | "refused";

export function outcomeOf(status: number | null, refused: boolean): AttemptOutcome {
  if (refused) return "refused";
  if (status !== null && status >= 200 && status < 300) return "delivered";
  if (status === 410) return "gone";
  return "retry";
}
