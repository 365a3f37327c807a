import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { FEED_HORIZON } from "./events.fragments";

/** A feed position: after the event (xid, seq); both as decimal text (xid8 and bigint exceed JS numbers). */
export interface FeedPosition {
  xid: string;
  seq: string;
}

export interface FeedEvent {
  id: string;
  type: string;
  time: Date;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  door: string;
  actor: { type: string; id: string | null; name: string | null };
  xid: string;
  seq: string;
}

/** SQL over `events`: the feed's pages on `events_order_idx`, and pruning by age on the BRIN index of `time`. */
export class EventsRepository {
  /**
   * Events after `after` in feed order, below the horizon, of `types` (null = all), and the horizon itself, read in
   * the same statement (so the same snapshot): every event before (horizon, 0) has been looked at.
   */
  async page(
    m: EntityManager,
    after: FeedPosition,
    types: string[] | null,
    limit: number,
  ): Promise<{ items: FeedEvent[]; horizon: string }> {
    const rows = await sql<FeedEvent & { horizon: string }>(
      m,
      `
      WITH h AS (SELECT ${FEED_HORIZON} AS x)
      SELECT h.x::text AS horizon, p.* FROM h LEFT JOIN LATERAL (
        SELECT e.id, e.type, e.time, e.subject_type AS "subjectType", e.subject_id AS "subjectId", e.data, e.door,
               e.actor, e.xid::text AS xid, e.seq::text AS seq
        FROM events e
        WHERE (e.xid, e.seq) > ($1::xid8, $2::bigint) AND e.xid < h.x
          AND ($3::text[] IS NULL OR e.type = ANY($3::text[]))
        ORDER BY e.xid, e.seq LIMIT $4) p ON true
      ORDER BY p.xid::xid8, p.seq::bigint`,
      [after.xid, after.seq, types, limit],
    );
    const horizon = rows[0].horizon;
    const items = rows.filter((r) => r.id !== null).map(({ horizon: _h, ...e }) => e as FeedEvent);
    return { items, horizon };
  }

  /** Deletes up to `batch` events older than `days`; how many went. */
  async prune(m: EntityManager, days: number, batch: number): Promise<number> {
    const rows = await sql<{ n: number }>(
      m,
      `
      WITH gone AS (
        DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < now() - $1 * interval '1 day' LIMIT $2)
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`,
      [days, batch],
    );
    return rows[0].n;
  }
}
