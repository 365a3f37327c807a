import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The outbox becomes a job queue (leases, retries, dead letters), invitations get their own rows (one per request,
 * the token stored only as a SHA-256 hash), users can be given a one-time password, and settings admins change at
 * run time (the communication setting) get a table.
 */
export class InvitationsWorker1764000000012 implements MigrationInterface {
  name = "InvitationsWorker1764000000012";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN locked_until timestamptz,
        ADD COLUMN locked_by    text,
        ADD COLUMN dead_at      timestamptz`);
    // Workers claim by topic (only the topics a handler exists for), oldest due first.
    await q.query(`DROP INDEX outbox_pending_idx`);
    await q.query(
      `CREATE INDEX outbox_due_idx ON outbox (topic, available_at, id) WHERE processed_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(`CREATE INDEX outbox_dead_idx ON outbox (dead_at DESC, id DESC) WHERE dead_at IS NOT NULL`);
    await q.query(`CREATE INDEX outbox_processed_idx ON outbox (processed_at) WHERE processed_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE invitations (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the order invitations were asked in (requested_at can tie: one clock reading, or a test's clock)
        seq            bigint GENERATED ALWAYS AS IDENTITY,
        user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        requested_at   timestamptz NOT NULL DEFAULT now(),
        requested_by   text,
        door           text NOT NULL,
        space_group_id uuid REFERENCES groups (id) ON DELETE SET NULL,
        space_name     text,
        token_hash     text UNIQUE,
        issued_at      timestamptz,
        expires_at     timestamptz,
        sent_at        timestamptz,
        channels       text[] NOT NULL DEFAULT '{}',
        attempts       integer NOT NULL DEFAULT 0,
        consumed_at    timestamptz,
        revoked_at     timestamptz,
        failed_at      timestamptz,
        failure        text
      )`);
    await q.query(`CREATE INDEX invitations_user_idx ON invitations (user_id, seq DESC)`);

    await q.query(`ALTER TABLE users ADD COLUMN password_must_change boolean NOT NULL DEFAULT false`);

    await q.query(`
      CREATE TABLE settings (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version    integer NOT NULL DEFAULT 1
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settings`);
    await q.query(`ALTER TABLE users DROP COLUMN password_must_change`);
    await q.query(`DROP TABLE invitations`);
    await q.query(`DROP INDEX outbox_processed_idx`);
    await q.query(`DROP INDEX outbox_dead_idx`);
    await q.query(`DROP INDEX outbox_due_idx`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE processed_at IS NULL`);
    await q.query(`ALTER TABLE outbox DROP COLUMN dead_at, DROP COLUMN locked_by, DROP COLUMN locked_until`);
  }
}
