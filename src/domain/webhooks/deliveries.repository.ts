import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { eventsAfter, lastEventAfter } from "../events/events.fragments";

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  payload: { type: string; time: string } & Record<string, unknown>;
  /** This attempt's number (1 = the first). */
  attempts: number;
  url: string;
  secretSealed: string;
  /** The previous secret while its overlap lasts, else null. */
  previousSealed: string | null;
}

/** One attempt's result, as `finish` stores it. */
export interface AttemptResult {
  id: string;
  state: "pending" | "delivered" | "failed";
  status: number | null;
  error: string | null;
  durationMs: number;
  response: string | null;
  /** For `pending`: the delay before the next attempt. */
  delayMs: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  state: string;
  attempts: number;
  nextAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastResponse: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
  /** The last 20 attempts, oldest first. */
  attemptLog: AttemptLogEntry[];
}

export interface AttemptLogEntry {
  attempt: number;
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
  response: string | null;
}

const SELECT = `d.id::text AS id, d.event_id AS "eventId", d.event_type AS "eventType", d.state, d.attempts,
  d.next_at AS "nextAt", d.last_status AS "lastStatus", d.last_error AS "lastError",
  d.last_duration_ms AS "lastDurationMs", d.last_response AS "lastResponse", d.last_attempt_at AS "lastAttemptAt",
  d.created_at AS "createdAt", d.attempt_log AS "attemptLog"`;

/**
 * SQL over `webhook_deliveries` and `webhook_dispatch`: fanning the feed out to the endpoints subscribed, claiming the
 * heads of each (endpoint, subject) queue, storing attempts, and the admin's list and retry.
 */
export class DeliveriesRepository {
  /**
   * One step of the dispatcher: the next `limit` events after its cursor become a delivery per enabled endpoint
   * subscribed to their type (created before the event), in feed order, and the cursor moves past them: one
   * statement, so a crash repeats nothing and loses nothing. The cursor row is locked SKIP LOCKED: one dispatcher at
   * a time across replicas (`held` 0: another one is at work). With no endpoint enabled there is nothing to fan out:
   * the cursor moves to the newest event below the horizon (one step back along the feed's index) without reading
   * the events, which an import's thousands of feed events per second would otherwise cost for nothing. The same
   * events would be skipped by the join anyway: an endpoint only gets events from after its creation, and a disabled
   * one gets none of the events dispatched while it is disabled.
   */
  async dispatch(m: EntityManager, limit: number): Promise<{ events: number; deliveries: number; held: number }> {
    const rows = await sql<{ events: number; deliveries: number; held: number }>(
      m,
      `
      WITH cur AS MATERIALIZED (SELECT after_xid, after_seq, EXISTS (SELECT 1 FROM webhooks WHERE enabled) AS fans
                                FROM webhook_dispatch FOR UPDATE SKIP LOCKED),
      batch AS MATERIALIZED (SELECT b.* FROM cur, LATERAL (${eventsAfter("cur.after_xid", "cur.after_seq", "$1")}) b
                             WHERE cur.fans),
      ins AS (
        INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, subject_key, payload)
        SELECT w.id, b.id, b.type, b.subject_type || ':' || b.subject_id,
               jsonb_build_object('id', b.id, 'type', b.type,
                 'time', to_char(b.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 'subject', jsonb_build_object('type', b.subject_type, 'id', b.subject_id),
                 'data', b.data, 'door', b.door, 'actor', b.actor)
        FROM batch b JOIN webhooks w ON w.enabled AND b.type = ANY(w.events) AND b.time >= w.created_at
        ORDER BY b.xid, b.seq, w.id
        ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING 1),
      last AS ((SELECT xid, seq FROM batch ORDER BY xid DESC, seq DESC LIMIT 1)
               UNION ALL
               SELECT e.xid, e.seq FROM cur, LATERAL (${lastEventAfter("cur.after_xid", "cur.after_seq")}) e WHERE NOT cur.fans),
      mv AS (UPDATE webhook_dispatch SET after_xid = last.xid, after_seq = last.seq FROM last RETURNING 1)
      SELECT (SELECT count(*) FROM batch)::int AS events, (SELECT count(*) FROM ins)::int AS deliveries,
             (SELECT count(*) FROM cur)::int AS held`,
      [limit],
    );
    return rows[0];
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints, each the oldest pending one of its (endpoint, subject):
   * so per subject one attempt at a time, in feed order. Leased to `workerId` for `leaseMs` (a crashed claimer's come
   * back after it, and are sent again with the same webhook-id); the attempt is counted here.
   */
  async claim(m: EntityManager, workerId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return sql<ClaimedDelivery>(
      m,
      `
      WITH c AS (
        SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.enabled
        WHERE d.state = 'pending' AND d.next_at <= clock_timestamp()
          AND (d.locked_until IS NULL OR d.locked_until < clock_timestamp())
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.state = 'pending' AND p.webhook_id = d.webhook_id
                            AND p.subject_key = d.subject_key AND p.id < d.id)
        ORDER BY d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED)
      UPDATE webhook_deliveries d SET locked_by = $1, attempts = d.attempts + 1,
             locked_until = clock_timestamp() + $3 * interval '1 millisecond'
      FROM c, webhooks w WHERE d.id = c.id AND w.id = d.webhook_id
      RETURNING d.id::text AS id, d.webhook_id AS "webhookId", d.event_id AS "eventId", d.payload, d.attempts, w.url,
                w.secret_sealed AS "secretSealed",
                CASE WHEN w.previous_secret_until > clock_timestamp() THEN w.previous_secret_sealed END AS "previousSealed"`,
      [workerId, limit, leaseMs],
    );
  }

  /** Stores a batch of attempts' results, for the deliveries `workerId` still holds. */
  async finish(m: EntityManager, workerId: string, results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    const col = <K extends keyof AttemptResult>(k: K) => results.map((r) => r[k]);
    await sql(
      m,
      `
      UPDATE webhook_deliveries d SET state = r.state, last_status = r.status, last_error = r.error,
             last_duration_ms = r.duration, last_response = r.response, last_attempt_at = clock_timestamp(),
             locked_until = NULL, locked_by = NULL,
             attempt_log = (SELECT coalesce(jsonb_agg(x.e ORDER BY x.n), '[]') FROM (
               SELECT e, n FROM jsonb_array_elements(d.attempt_log || jsonb_build_array(jsonb_build_object(
                 'attempt', d.attempts, 'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 'status', r.status, 'durationMs', r.duration, 'error', r.error, 'response', left(r.response, 200))))
                 WITH ORDINALITY AS t(e, n)
               ORDER BY n DESC LIMIT 20) x),
             next_at = CASE WHEN r.state = 'pending' THEN clock_timestamp() + r.delay * interval '1 millisecond'
                       ELSE d.next_at END
      FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::bigint[])
           AS r(id, state, status, error, duration, response, delay)
      WHERE d.id = r.id AND d.locked_by = $1`,
      [
        workerId,
        col("id"),
        col("state"),
        col("status"),
        col("error"),
        col("durationMs"),
        col("response"),
        col("delayMs"),
      ],
    );
  }

  /** Gives back claimed deliveries not attempted (graceful stop): due again at once, the attempt not counted. */
  async release(m: EntityManager, workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql(
      m,
      `UPDATE webhook_deliveries SET locked_until = NULL, locked_by = NULL, attempts = attempts - 1
       WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND state = 'pending'`,
      [ids, workerId],
    );
  }

  /** An endpoint's deliveries, newest first, before `before` (an id); optionally of one state. */
  async page(
    m: EntityManager,
    webhookId: string,
    state: string | null,
    before: string | null,
    limit: number,
  ): Promise<Delivery[]> {
    return sql<Delivery>(
      m,
      `SELECT ${SELECT} FROM webhook_deliveries d
       WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.state = $2) AND ($3::bigint IS NULL OR d.id < $3::bigint)
       ORDER BY d.id DESC LIMIT $4`,
      [webhookId, state, before, limit],
    );
  }

  /** Makes a delivery due again at once (whatever its state), unless an attempt of it is in flight. */
  async requeue(m: EntityManager, webhookId: string, id: string): Promise<Delivery | "in_flight" | null> {
    const rows = await sql<Delivery & { inFlight: boolean }>(
      m,
      `SELECT ${SELECT}, (d.state = 'pending' AND d.locked_until > clock_timestamp()) AS "inFlight"
       FROM webhook_deliveries d WHERE d.webhook_id = $1 AND d.id = $2 FOR UPDATE`,
      [webhookId, id],
    );
    if (!rows[0]) return null;
    if (rows[0].inFlight) return "in_flight";
    const updated = await sql<Delivery>(
      m,
      `UPDATE webhook_deliveries d SET state = 'pending', next_at = clock_timestamp(), locked_until = NULL,
              locked_by = NULL WHERE d.id = $1 RETURNING ${SELECT}`,
      [id],
    );
    return updated[0];
  }

  /** Deletes up to `batch` finished deliveries older than `days`; how many went. */
  async prune(m: EntityManager, days: number, batch: number): Promise<number> {
    const rows = await sql<{ n: number }>(
      m,
      `WITH gone AS (
         DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < now() - $1 * interval '1 day'
           LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days, batch],
    );
    return rows[0].n;
  }
}
