import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  previousSecretUntil: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const RETURNING = `id, url, events, description, enabled, disabled_reason AS "disabledReason",
  previous_secret_until AS "previousSecretUntil", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** SQL over `webhooks`: the endpoints and their sealed secrets. */
export class WebhooksRepository {
  insert(url: string, events: string[], description: string | null, sealed: string): Statement {
    return {
      text: `INSERT INTO webhooks (url, events, description, secret_sealed) VALUES ($1, $2::text[], $3, $4)
             RETURNING ${RETURNING}`,
      values: [url, events, description, sealed],
    };
  }

  update(id: string, url: string, events: string[], description: string | null): Statement {
    return {
      text: `UPDATE webhooks SET url = $2, events = $3::text[], description = $4, version = version + 1,
               updated_at = clock_timestamp() WHERE id = $1 RETURNING ${RETURNING}`,
      values: [id, url, events, description],
    };
  }

  setEnabled(id: string, enabled: boolean, reason: string | null): Statement {
    return {
      text: `UPDATE webhooks SET enabled = $2, disabled_reason = $3, version = version + 1,
               updated_at = clock_timestamp() WHERE id = $1 AND enabled <> $2 RETURNING ${RETURNING}`,
      values: [id, enabled, reason],
    };
  }

  /** The current secret becomes the previous one (signing until `until`), `sealed` the current one. */
  rotate(id: string, sealed: string, untilMs: number): Statement {
    return {
      text: `UPDATE webhooks SET previous_secret_sealed = secret_sealed, secret_sealed = $2,
               previous_secret_until = clock_timestamp() + $3 * interval '1 millisecond', version = version + 1,
               updated_at = clock_timestamp() WHERE id = $1 RETURNING ${RETURNING}`,
      values: [id, sealed, untilMs],
    };
  }

  remove(id: string): Statement {
    return { text: `DELETE FROM webhooks WHERE id = $1 RETURNING ${RETURNING}`, values: [id] };
  }

  async lock(m: EntityManager, id: string): Promise<Webhook | null> {
    const rows = await sql<Webhook>(m, `SELECT ${RETURNING} FROM webhooks WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async find(m: EntityManager, id: string): Promise<Webhook | null> {
    const rows = await sql<Webhook>(m, `SELECT ${RETURNING} FROM webhooks WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Oldest first, after `after` (an id, created_at order); one more than `limit` tells whether a next page exists. */
  async page(m: EntityManager, after: { createdAt: string; id: string } | null, limit: number): Promise<Webhook[]> {
    return sql<Webhook & { key: string }>(
      m,
      `SELECT ${RETURNING}, created_at::text AS key FROM webhooks
       WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid)
       ORDER BY created_at, id LIMIT $3`,
      [after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }
}
