import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { OutboxTopic } from "../topics";

/** A job the worker gave up on (out of attempts, or a permanent failure), kept until an admin retries it. */
export interface DeadLetter {
  id: string;
  topic: OutboxTopic;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
  /** dead_at as PostgreSQL prints it (microseconds kept), for keyset cursors. */
  deadAtKey: string;
}

/** Where a page continues: strictly after this (deadAt, id) in newest-first order. */
export interface DeadLetterKey {
  deadAt: string;
  id: string;
}

const SELECT = `o.id::text AS id, o.topic, o.payload, o.attempts, o.last_error AS "lastError", o.created_at AS "createdAt",
  o.dead_at AS "deadAt", o.dead_at::text AS "deadAtKey"`;

/** SQL over the dead rows of `outbox` (partial index `outbox_dead_idx` on dead_at DESC, id DESC). */
export class DeadLettersRepository {
  /** Newest first, after `after`; one more than `limit` tells whether a next page exists. */
  async page(
    m: EntityManager,
    topic: string | null,
    after: DeadLetterKey | null,
    limit: number,
  ): Promise<DeadLetter[]> {
    return sql<DeadLetter>(
      m,
      `
      SELECT ${SELECT} FROM outbox o
      WHERE o.dead_at IS NOT NULL AND ($1::text IS NULL OR o.topic = $1)
        AND ($2::timestamptz IS NULL OR (o.dead_at, o.id) < ($2::timestamptz, $3::bigint))
      ORDER BY o.dead_at DESC, o.id DESC LIMIT $4`,
      [topic, after?.deadAt ?? null, after?.id ?? null, limit],
    );
  }

  /** The job, dead or not, locked for the caller's transaction; null when no such job. */
  async lock(m: EntityManager, id: string): Promise<(Omit<DeadLetter, "deadAt"> & { deadAt: Date | null }) | null> {
    const rows = await sql<DeadLetter>(m, `SELECT ${SELECT} FROM outbox o WHERE o.id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Due again at once, attempts reset; the last error stays until a run succeeds. */
  async revive(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE outbox SET dead_at = NULL, attempts = 0, available_at = clock_timestamp(), locked_until = NULL, locked_by = NULL
      WHERE id = $1 AND dead_at IS NOT NULL`,
      [id],
    );
  }
}
