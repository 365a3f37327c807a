import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";

/**
 * Rate-limit counters (`rate_limit_hits`, unlogged): one row per key and window, shared by every replica. A hit is one
 * upsert that starts a new window once the old one has ended; `weight` counts one request as several (a SCIM /Bulk
 * request's operations).
 */
export class RateLimitsRepository {
  async hit(m: EntityManager, key: string, windowMs: number, weight = 1): Promise<{ hits: number; resetAt: Date }> {
    const [row] = await sql<{ hits: number; resetAt: Date }>(
      m,
      `
      INSERT INTO rate_limit_hits AS r (key, hits, reset_at) VALUES ($1, $3, clock_timestamp() + $2 * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.reset_at <= clock_timestamp() THEN excluded.hits ELSE r.hits + excluded.hits END,
        reset_at = CASE WHEN r.reset_at <= clock_timestamp() THEN excluded.reset_at ELSE r.reset_at END
      RETURNING hits, reset_at AS "resetAt"`,
      [key, windowMs, weight],
    );
    return row;
  }

  async unhit(m: EntityManager, key: string): Promise<void> {
    await sql(m, `UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0) WHERE key = $1`, [key]);
  }

  async reset(m: EntityManager, key: string): Promise<void> {
    await sql(m, `DELETE FROM rate_limit_hits WHERE key = $1`, [key]);
  }

  /** Deletes the counters whose window ended over a minute ago (one indexed DELETE). */
  async sweep(m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM rate_limit_hits WHERE reset_at < clock_timestamp() - interval '1 minute'`);
  }
}
