import { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import { DataSource } from "typeorm";
import { sql } from "../../db/sql";
import { withDb } from "../../domain/transaction";
import { logger } from "../../log";

/** Expired counters are swept after this many hits counted by this process (one indexed DELETE). */
const SWEEP_EVERY = 1000;

/**
 * express-rate-limit counters in PostgreSQL (`rate_limit_hits`, unlogged): every replica counts against the same
 * budget, and a restart forgets nothing. A hit is one upsert that starts a new window once the old one has ended.
 */
export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private hits = 0;

  constructor(private readonly ds: DataSource, readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (++this.hits % SWEEP_EVERY === 0) void this.sweep();
    const [row] = await withDb(() => sql<{ hits: number; resetAt: Date }>(this.ds.manager, `
      INSERT INTO rate_limit_hits AS r (key, hits, reset_at) VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.reset_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
        reset_at = CASE WHEN r.reset_at <= clock_timestamp() THEN excluded.reset_at ELSE r.reset_at END
      RETURNING hits, reset_at AS "resetAt"`, [this.key(key), this.windowMs]));
    return { totalHits: row.hits, resetTime: row.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await withDb(() => sql(this.ds.manager, `UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0) WHERE key = $1`, [this.key(key)]));
  }

  async resetKey(key: string): Promise<void> {
    await withDb(() => sql(this.ds.manager, `DELETE FROM rate_limit_hits WHERE key = $1`, [this.key(key)]));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private async sweep(): Promise<void> {
    try {
      await this.ds.query(`DELETE FROM rate_limit_hits WHERE reset_at < clock_timestamp() - interval '1 minute'`);
    } catch (err) {
      logger.warn({ err }, "rate limits: sweeping expired counters failed (tried again later)");
    }
  }
}
