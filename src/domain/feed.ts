import type { Actor } from "./context";
import type { Effects } from "./effects";
import type { EventRow } from "./events/events.fragments";

/** The outbox topics the platform sees in the feed and may subscribe webhooks to (decision 0120). */
export const EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "group.created",
  "group.updated",
  "group.deleted",
  "membership.added",
  "membership.removed",
  "entity.created",
  "entity.updated",
  "entity.deleted",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const FEED = new Set<string>(EVENT_TYPES);
export const isEventType = (t: string): t is EventType => FEED.has(t);

/** Payload keys naming the subject, by the topic's prefix. */
export const SUBJECT_KEY: Record<string, [type: string, key: string]> = {
  user: ["user", "userId"],
  group: ["group", "groupId"],
  membership: ["group", "groupId"],
  entity: ["entity", "entityId"],
};

/**
 * The feed's rows for a change's effects: one per outbox event of a feed type. An `*.updated` event carries the
 * changed fields with their old and new values, from the audit record of the same action and subject (the one diff
 * the change already computed).
 */
export function feedRows(effects: Effects, actor: Actor, door: string, requestId: string | null): EventRow[] {
  const rows: EventRow[] = [];
  for (const e of effects.events) {
    if (!FEED.has(e.topic)) continue;
    const [subjectType, key] = SUBJECT_KEY[e.topic.split(".")[0]];
    const subjectId = String(e.payload[key] ?? "");
    const data: Record<string, unknown> = { ...e.payload };
    if (e.topic.endsWith(".updated")) {
      const audit = effects.audits.find((a) => a.action === e.topic && a.subject.id === subjectId);
      if (audit) data.changes = oldNew(audit.changes);
    }
    rows.push({
      type: e.topic,
      subject_type: subjectType,
      subject_id: subjectId,
      data,
      door,
      actor: { type: actor.type, id: actor.id, name: actor.name },
      request_id: requestId,
    });
  }
  return rows;
}

function oldNew(changes: Record<string, unknown>): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  for (const [field, c] of Object.entries(changes)) {
    if (c && typeof c === "object" && "before" in c && "after" in c) {
      out[field] = { old: (c as { before: unknown }).before, new: (c as { after: unknown }).after };
    }
  }
  return out;
}
