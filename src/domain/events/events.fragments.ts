import { EVENT_TYPES, SUBJECT_KEY } from "../feed";
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

/** The feed's subject of a topic, by its prefix (feed.ts's SUBJECT_KEY, as SQL rows). */
const SUBJECTS = `(VALUES ('user', 'user', 'userId'), ('group', 'group', 'groupId'), ('membership', 'group', 'groupId'),
  ('entity', 'entity', 'entityId')) AS s(prefix, subject_type, key)`;

/**
 * The INSERT of the feed's events for a write whose effects are SQL (unit-of-work.ts's runDerived): from the
 * jsonb arrays `audits` (action, target_id, changes) and `events` (topic, payload) the write derives, who did it from
 * `who` ({actor_type, actor_id, actor_name, door, request_id}). The same rows feed.ts's feedRows makes in JS: one per
 * event of a feed type, an `*.updated` one with its audit record's changes as {field: {old, new}}.
 */
export const derivedEventsInsertCte = (
  audits: string,
  events: string,
  who: string,
  guard: string,
) => `INSERT INTO events
          (type, subject_type, subject_id, data, door, actor, request_id)
        SELECT x.r->>'topic', s.subject_type, x.r->'payload'->>s.key,
               (x.r->'payload') || CASE WHEN m.audit IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('changes',
                 COALESCE((SELECT jsonb_object_agg(c.k, jsonb_build_object('old', c.v->'before', 'new', c.v->'after'))
                   FROM jsonb_each(m.audit->'changes') AS c(k, v)
                   WHERE jsonb_typeof(c.v) = 'object' AND c.v ? 'before' AND c.v ? 'after'), '{}'::jsonb)) END,
               ${who}->>'door',
               jsonb_build_object('type', ${who}->>'actor_type', 'id', ${who}->'actor_id', 'name', ${who}->'actor_name'),
               ${who}->>'request_id'
        FROM jsonb_array_elements(${events}) WITH ORDINALITY AS x(r, i)
        JOIN ${SUBJECTS} ON s.prefix = split_part(x.r->>'topic', '.', 1)
        LEFT JOIN LATERAL (SELECT a.r AS audit FROM jsonb_array_elements(${audits}) AS a(r)
          WHERE x.r->>'topic' LIKE '%.updated' AND a.r->>'action' = x.r->>'topic'
            AND a.r->>'target_id' = x.r->'payload'->>s.key LIMIT 1) m ON true
        WHERE ${guard} AND x.r->>'topic' = ANY(ARRAY[${EVENT_TYPES.map((t) => `'${t}'`).join(", ")}])
        ORDER BY x.i`;

/**
 * The INSERT of one feed event of type `topic` for each row of `w` (unit-of-work.ts's set-based derived write): data
 * the row's `payload` (SQL over `w`), the subject named in it by the topic's key (feed.ts's SUBJECT_KEY), who did it
 * from `who` as derivedEventsInsertCte reads it. `topic` is a constant of the caller's text, never input.
 */
export const eachRowEventsInsertCte = (topic: string, payload: string, who: string) => {
  const [subjectType, key] = SUBJECT_KEY[topic.split(".")[0]];
  return `INSERT INTO events (type, subject_type, subject_id, data, door, actor, request_id)
        SELECT '${topic}', '${subjectType}', x.p->>'${key}', x.p, ${who}->>'door',
               jsonb_build_object('type', ${who}->>'actor_type', 'id', ${who}->'actor_id', 'name', ${who}->'actor_name'),
               ${who}->>'request_id'
        FROM w, LATERAL (SELECT ${payload} AS p) AS x`;
};

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

/** The position of the newest event after (`xidExpr`, `seqExpr`) below the horizon: one step back on events_order_idx. */
export const lastEventAfter = (xidExpr: string, seqExpr: string) => `SELECT e.xid, e.seq FROM events e
        WHERE (e.xid, e.seq) > (${xidExpr}, ${seqExpr}) AND e.xid < ${FEED_HORIZON}
        ORDER BY e.xid DESC, e.seq DESC LIMIT 1`;
