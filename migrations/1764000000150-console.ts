import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The admin console (decision 0136):
 * - audit_events.door gains `console`: every action taken in the console is recorded as coming through it.
 * - console_sessions: a signed-in admin's session in the browser. Only a hash of the cookie's value is kept, with the
 *   session's CSRF token (the synchronizer token every form posts back), its last use (idle timeout) and its hard end.
 */
export class Console1764000000150 implements MigrationInterface {
  name = "Console1764000000150";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_door_check`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_door_check
                   CHECK (door IN ('scim', 'admin', 'auth', 'system', 'cli', 'import', 'console')) NOT VALID`);
    await q.query(`ALTER TABLE audit_events VALIDATE CONSTRAINT audit_events_door_check`);
    await q.query(`CREATE TABLE console_sessions (
      id_hash bytea PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX console_sessions_user_id_idx ON console_sessions (user_id)`);
    await q.query(`CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_door_check`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_door_check
                   CHECK (door IN ('scim', 'admin', 'auth', 'system', 'cli', 'import')) NOT VALID`);
  }
}
