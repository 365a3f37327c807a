import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Vacuum `users` after 2% of its rows changed instead of PostgreSQL's default 20%: IdPs update users
 * all day, and list pages and counts rely on index-only scans, which need a current visibility map.
 */
export class UsersAutovacuum1764000000001 implements MigrationInterface {
  name = "UsersAutovacuum1764000000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02,
                   autovacuum_vacuum_insert_scale_factor = 0.02)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor, autovacuum_vacuum_insert_scale_factor)`,
    );
  }
}
