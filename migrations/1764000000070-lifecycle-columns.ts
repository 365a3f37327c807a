import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the lifecycle needs on `users` (decision 0104): when the IdP last pushed the person (stamped by the SCIM write's
 * own statement; the reconciliation report reads it), and what a SCIM DELETE took away (the groups left and the
 * account held), so that the IdP creating the same userName again gives it back.
 * Both nullable without a default: adding them rewrites nothing. People pushed before this migration have no stamp:
 * the report counts them from their creation (users.created_at) until their next push.
 */
export class LifecycleColumns1764000000070 implements MigrationInterface {
  name = "LifecycleColumns1764000000070";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN last_pushed_at timestamptz, ADD COLUMN leave_snapshot jsonb`);
    // The report's stale list: live, active people the IdP manages, oldest push first.
    await q.query(`CREATE INDEX users_last_pushed_idx ON users (coalesce(last_pushed_at, created_at), id)
                   WHERE removed_at IS NULL AND active AND (source = 'scim' OR last_pushed_at IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_last_pushed_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN last_pushed_at, DROP COLUMN leave_snapshot`);
  }
}
