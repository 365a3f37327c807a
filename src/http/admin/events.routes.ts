import { Router } from "express";
import { z } from "zod";
import { NOT_A_CURSOR, cursorText, encodeCursor } from "../../domain/cursor";
import type { FeedEvent, FeedPosition } from "../../domain/events/events.repository";
import type { EventsService } from "../../domain/events/events.service";
import { EVENT_TYPES, isEventType } from "../../domain/feed";
import { Problem } from "../shared/problem";
import { adminCtx } from "./admin-auth";

const query = z.strictObject({
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  types: z.string().max(2000).optional(),
});

/** A position as a cursor's text: `e1:<xid>:<seq>` (the version lets the shape change later). */
const POSITION = /^e1:(\d{1,20}):(\d{1,19})$/;

export const feedCursor = (p: FeedPosition) => encodeCursor(`e1:${p.xid}:${p.seq}`);

function decodeAfter(cursor: string): FeedPosition {
  const m = POSITION.exec(cursorText(cursor) ?? "");
  if (!m || BigInt(m[1]) >= 2n ** 64n || BigInt(m[2]) >= 2n ** 63n)
    throw new Problem(400, "invalid_value", `after: ${NOT_A_CURSOR}`, "after");
  return { xid: m[1], seq: m[2] };
}

function parseTypes(list: string | undefined): string[] | null {
  if (list === undefined) return null;
  const types = [...new Set(list.split(",").map((t) => t.trim()))];
  const unknown = types.find((t) => !isEventType(t));
  if (unknown !== undefined)
    throw new Problem(
      400,
      "invalid_value",
      `types: '${unknown.slice(0, 64)}' is not an event type (${EVENT_TYPES.join(", ")})`,
      "types",
    );
  return types;
}

/** One event as the feed and webhook deliveries show it. */
export const presentEvent = (e: FeedEvent) => ({
  id: e.id,
  type: e.type,
  time: e.time.toISOString(),
  subject: { type: e.subjectType, id: e.subjectId },
  data: e.data,
  door: e.door,
  actor: e.actor,
});

/** `GET /admin/v1/events?after=&limit=&types=` (admins and auditors): the events feed, in feed order. */
export function eventsRouter(events: EventsService): Router {
  const r = Router();
  r.get("/", async (req, res) => {
    const q = query.parse(req.query);
    const after = q.after === undefined ? null : decodeAfter(q.after);
    const page = await events.page(adminCtx(req, res), after, parseTypes(q.types), q.limit);
    res.json({ items: page.items.map(presentEvent), next: feedCursor(page.next) });
  });
  return r;
}
