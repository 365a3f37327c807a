/**
 * The INSERT of the feed's events in `eventsParam` (a jsonb array of EventRow), written only when `guard` holds: a
 * data-modifying CTE of a change's own statement (unit-of-work.ts, its only user), so the events commit with the
 * change or not at all, in the same round trip. `xid` (the transaction's id) and `seq` (the order within it) are the
 * feed's order, filled by their defaults.
 */
export const eventsInsertCte = (eventsParam: string, guard: string) => `INSERT INTO events
          (type, subject_type, subject_id, data, door, actor, request_id)
        SELECT x.type, x.subject_type, x.subject_id, x.data, x.door, x.actor, x.request_id
        FROM jsonb_to_recordset(${eventsParam}::jsonb) AS x(type text, subject_type text, subject_id text, data jsonb,
             door text, actor jsonb, request_id text)
        WHERE ${guard}`;

/** A feed event as the unit of work writes it: `events`' columns. */
export interface EventRow {
  type: string;
  subject_type: string;
  subject_id: string;
  data: Record<string, unknown>;
  door: string;
  actor: { type: string; id: string | null; name: string | null };
  request_id: string | null;
}

/**
 * The feed's horizon: events of transactions below the oldest one still running. Every transaction below it has
 * ended, so no event can appear below it later (a late commit is handed out only once the horizon passes it).
 */
export const FEED_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())";

/**
 * The next `limitParam` events after position (`xidExpr`, `seqExpr`), below the horizon, in feed order: a subquery
 * for readers that follow the feed inside their own statement (the webhooks' dispatcher, through its stored cursor).
 */
export const eventsAfter = (xidExpr: string, seqExpr: string, limitParam: string) => `SELECT e.id, e.xid, e.seq,
          e.type, e.time, e.subject_type, e.subject_id, e.data, e.door, e.actor
        FROM events e
        WHERE (e.xid, e.seq) > (${xidExpr}, ${seqExpr}) AND e.xid < ${FEED_HORIZON}
        ORDER BY e.xid, e.seq LIMIT ${limitParam}`;
