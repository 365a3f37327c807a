import type { DataSource } from "typeorm";
import { sql } from "../../db/sql";
import { withDb } from "../unit-of-work";
import type { OutboxTopic } from "../topics";

/** Delivered on commit to every listening worker when a job someone waits for is written (invitations). */
export const OUTBOX_CHANNEL = "roster_outbox";

export interface OutboxJob {
  id: string;
  topic: OutboxTopic;
  payload: Record<string, unknown>;
  /** Runs started so far; `begin` counts the one about to start. */
  attempts: number;
  createdAt: Date;
}

export interface OutboxTopicStats {
  topic: OutboxTopic;
  due: number;
  oldestDueSeconds: number;
  dead: number;
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

/** Whether a failed run sends the job to the dead letters rather than back to the queue. */
export const isFinalFailure = (job: OutboxJob, policy: RetryPolicy, permanent: boolean): boolean =>
  permanent || job.attempts >= policy.maxAttempts;

/**
 * The outbox read as a job queue. Jobs are claimed with `FOR UPDATE SKIP LOCKED` under a lease: concurrent claimers
 * (loops, replicas) get disjoint jobs, and the jobs of a claimer that died (kill -9) become due again when its lease
 * ends. A batch is claimed at once but each job is `begin`-ed (lease renewed, attempt counted) just before it runs,
 * so a job whose lease ran out while it waited in the batch is left to whoever took it since. A job is marked done
 * right after its handler returns, so only the job in flight at a crash can run twice.
 */
export class OutboxQueue {
  constructor(private readonly ds: DataSource) {}

  async claim(workerId: string, topic: OutboxTopic, limit: number, leaseMs: number): Promise<OutboxJob[]> {
    return withDb(() =>
      sql<OutboxJob>(
        this.ds.manager,
        `
      UPDATE outbox o SET locked_until = clock_timestamp() + $4 * interval '1 millisecond', locked_by = $1
      FROM (SELECT id FROM outbox
            WHERE topic = $2 AND processed_at IS NULL AND dead_at IS NULL AND available_at <= clock_timestamp()
              AND (locked_until IS NULL OR locked_until < clock_timestamp())
            ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) c
      WHERE o.id = c.id
      RETURNING o.id, o.topic, o.payload, o.attempts, o.created_at AS "createdAt"`,
        [workerId, topic, limit, leaseMs],
      ),
    );
  }

  /**
   * Just before running a claimed job: renews its lease from now and counts the attempt, if `workerId` still holds it.
   * Null when the lease ran out and another claimer took it meanwhile (or it was finished or retired): skip it.
   */
  async begin(workerId: string, id: string, leaseMs: number): Promise<number | null> {
    const rows = await withDb(() =>
      sql<{ attempts: number }>(
        this.ds.manager,
        `
      UPDATE outbox SET locked_until = clock_timestamp() + $3 * interval '1 millisecond', attempts = attempts + 1
      WHERE id = $1 AND locked_by = $2 AND locked_until IS NOT NULL AND processed_at IS NULL AND dead_at IS NULL
      RETURNING attempts`,
        [id, workerId, leaseMs],
      ),
    );
    return rows[0]?.attempts ?? null;
  }

  async complete(id: string): Promise<void> {
    await withDb(() =>
      sql(
        this.ds.manager,
        `UPDATE outbox SET processed_at = clock_timestamp(), locked_until = NULL, last_error = NULL WHERE id = $1`,
        [id],
      ),
    );
  }

  /**
   * A failed attempt: due again after the backoff, or dead (kept for an admin to see and retry) when out of attempts.
   * "lost" when `workerId` no longer holds the job (its lease ran out and another claimer took it): left to them.
   */
  async fail(
    workerId: string,
    job: OutboxJob,
    error: string,
    policy: RetryPolicy,
    permanent: boolean,
  ): Promise<"retry" | "dead" | "lost"> {
    const dead = isFinalFailure(job, policy, permanent);
    const delay = dead ? 0 : backoffDelay(job.attempts, policy.backoffMs);
    const rows = await withDb(() =>
      sql(
        this.ds.manager,
        `
      UPDATE outbox SET locked_until = NULL, last_error = left($2, 2000),
             dead_at = CASE WHEN $3::boolean THEN clock_timestamp() END,
             available_at = clock_timestamp() + $4 * interval '1 millisecond'
      WHERE id = $1 AND locked_by = $5 AND processed_at IS NULL AND dead_at IS NULL RETURNING id`,
        [job.id, error, dead, delay, workerId],
      ),
    );
    if (rows.length === 0) return "lost";
    return dead ? "dead" : "retry";
  }

  /** Gives back jobs claimed but not started (graceful stop), so another worker takes them at once; no attempt was spent. */
  async release(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await withDb(() =>
      sql(
        this.ds.manager,
        `UPDATE outbox SET locked_until = NULL, locked_by = NULL WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND processed_at IS NULL`,
        [ids, workerId],
      ),
    );
  }

  /**
   * Per topic: jobs due now (waiting or running), how long the oldest of them has been due, and dead jobs. Walks the
   * due and dead partial indexes only, so it costs the backlog of these topics, not the table.
   */
  async stats(topics: OutboxTopic[]): Promise<OutboxTopicStats[]> {
    return withDb(() =>
      sql<OutboxTopicStats>(
        this.ds.manager,
        `
      SELECT t.topic, d.due, coalesce(d.oldest, 0)::float8 AS "oldestDueSeconds",
             (SELECT count(*) FROM outbox o WHERE o.topic = t.topic AND o.dead_at IS NOT NULL)::int AS dead
      FROM unnest($1::text[]) AS t(topic),
           LATERAL (SELECT count(*)::int AS due, extract(epoch FROM clock_timestamp() - min(o.available_at)) AS oldest
                    FROM outbox o WHERE o.topic = t.topic AND o.processed_at IS NULL AND o.dead_at IS NULL
                      AND o.available_at <= clock_timestamp()) d`,
        [topics],
      ),
    );
  }

  /**
   * Deletes, a batch at a time, events done more than `days` ago, and events no module consumes (`consumed` lists
   * the topics that have one) once they are as old: they were only kept in case a consumer wanted them.
   */
  async prune(days: number, consumed: OutboxTopic[], batch = 5000): Promise<number> {
    const rows = await withDb(() =>
      sql<{ n: number }>(
        this.ds.manager,
        `
      WITH gone AS (
        DELETE FROM outbox WHERE id IN (
          SELECT id FROM outbox WHERE processed_at < now() - $1 * interval '1 day'
          UNION ALL
          (SELECT id FROM outbox WHERE processed_at IS NULL AND topic <> ALL($2::text[]) AND created_at < now() - $1 * interval '1 day')
          LIMIT $3)
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`,
        [days, consumed, batch],
      ),
    );
    return rows[0].n;
  }
}
