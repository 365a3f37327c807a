import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Rate-limit counters shared by every replica (the /auth door). UNLOGGED: counters need no crash safety, and skipping
 * the WAL keeps a hit to one cheap upsert.
 */
export class RateLimits1764000000013 implements MigrationInterface {
  name = "RateLimits1764000000013";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_hits (
        key      text PRIMARY KEY,
        hits     integer NOT NULL,
        reset_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limit_hits_reset_idx ON rate_limit_hits (reset_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_hits`);
  }
}
