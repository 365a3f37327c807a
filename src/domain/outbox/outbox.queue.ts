import { DataSource } from "typeorm";
import { sql } from "../../db/sql";
import { withDb } from "../transaction";
import { OutboxTopic } from "./outbox";

/** Delivered on commit to every listening worker when a job someone waits for is written (invitations). */
export const OUTBOX_CHANNEL = "roster_outbox";

export interface OutboxJob {
  id: string;
  topic: OutboxTopic;
  payload: Record<string, unknown>;
  /** Claims so far, this one included. */
  attempts: number;
  createdAt: Date;
}

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles it (with jitter), capped at an hour. */
  backoffMs: number;
}

const MAX_DELAY_MS = 3_600_000;

/** The delay before retrying after `attempts` failed claims: exponential, with ±20% jitter so retries spread out. */
export function backoffDelay(attempts: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/**
 * The outbox read as a job queue. Jobs are claimed with `FOR UPDATE SKIP LOCKED` under a lease: concurrent claimers
 * (loops, replicas) get disjoint jobs, and the jobs of a claimer that died (kill -9) become due again when its lease
 * ends. A job is marked done right after its handler returns, so only the job in flight at a crash can run twice.
 */
export class OutboxQueue {
  constructor(private readonly ds: DataSource) {}

  async claim(workerId: string, topic: OutboxTopic, limit: number, leaseMs: number): Promise<OutboxJob[]> {
    return withDb(() => sql<OutboxJob>(this.ds.manager, `
      UPDATE outbox o SET locked_until = clock_timestamp() + $4 * interval '1 millisecond', locked_by = $1, attempts = o.attempts + 1
      FROM (SELECT id FROM outbox
            WHERE topic = $2 AND processed_at IS NULL AND dead_at IS NULL AND available_at <= clock_timestamp()
              AND (locked_until IS NULL OR locked_until < clock_timestamp())
            ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) c
      WHERE o.id = c.id
      RETURNING o.id, o.topic, o.payload, o.attempts, o.created_at AS "createdAt"`, [workerId, topic, limit, leaseMs]));
  }

  async complete(id: string): Promise<void> {
    await withDb(() => sql(this.ds.manager, `UPDATE outbox SET processed_at = clock_timestamp(), locked_until = NULL, last_error = NULL WHERE id = $1`, [id]));
  }

  /** A failed attempt: due again after the backoff, or dead (kept for an admin to see and retry) when out of attempts. */
  async fail(job: OutboxJob, error: string, policy: RetryPolicy, permanent: boolean): Promise<"retry" | "dead"> {
    const dead = permanent || job.attempts >= policy.maxAttempts;
    const delay = dead ? 0 : backoffDelay(job.attempts, policy.backoffMs);
    await withDb(() => sql(this.ds.manager, `
      UPDATE outbox SET locked_until = NULL, last_error = left($2, 2000),
             dead_at = CASE WHEN $3::boolean THEN clock_timestamp() END,
             available_at = clock_timestamp() + $4 * interval '1 millisecond'
      WHERE id = $1`, [job.id, error, dead, delay]));
    return dead ? "dead" : "retry";
  }

  /** Gives back jobs claimed but not started (graceful stop), so another worker takes them at once. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await withDb(() => sql(this.ds.manager,
      `UPDATE outbox SET locked_until = NULL, attempts = greatest(attempts - 1, 0) WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`, [ids]));
  }

  /**
   * Deletes, a batch at a time, events done more than `days` ago, and events no module consumes (`consumed` lists
   * the topics that have one) once they are as old: they were only kept in case a consumer wanted them.
   */
  async prune(days: number, consumed: OutboxTopic[], batch = 5000): Promise<number> {
    const rows = await withDb(() => sql<{ n: number }>(this.ds.manager, `
      WITH gone AS (
        DELETE FROM outbox WHERE id IN (
          SELECT id FROM outbox WHERE processed_at < now() - $1 * interval '1 day'
          UNION ALL
          (SELECT id FROM outbox WHERE processed_at IS NULL AND topic <> ALL($2::text[]) AND created_at < now() - $1 * interval '1 day')
          LIMIT $3)
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`, [days, consumed, batch]));
    return rows[0].n;
  }
}
