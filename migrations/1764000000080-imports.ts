import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Imports (issue 14, decision 0125): an upload is kept in PostgreSQL as one row per line of the file (its original
 * cells, for the report), so any replica's worker can carry an import on after another died, and the report is the
 * same table read back. A row with no `result` is still to do; a batch claims rows FOR UPDATE SKIP LOCKED and writes
 * their results in the transaction that applies them, so a kill -9 loses or repeats nothing.
 */
export class Imports1764000000080 implements MigrationInterface {
  name = "Imports1764000000080";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id            uuid PRIMARY KEY,
        status        text NOT NULL CHECK (status IN ('receiving', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
        mode          text NOT NULL CHECK (mode IN ('upsert', 'create-only', 'sync')),
        dry_run       boolean NOT NULL,
        options       jsonb NOT NULL,
        file_name     text,
        format        text NOT NULL,
        columns       jsonb NOT NULL DEFAULT '[]',
        mapping       jsonb NOT NULL DEFAULT '{}',
        ignored       jsonb NOT NULL DEFAULT '[]',
        total         integer NOT NULL DEFAULT 0,
        done          integer NOT NULL DEFAULT 0,
        created       integer NOT NULL DEFAULT 0,
        updated       integer NOT NULL DEFAULT 0,
        unchanged     integer NOT NULL DEFAULT 0,
        skipped       integer NOT NULL DEFAULT 0,
        failed        integer NOT NULL DEFAULT 0,
        deactivated   integer NOT NULL DEFAULT 0,
        error         text,
        cancel_requested boolean NOT NULL DEFAULT false,
        actor_type    text NOT NULL,
        actor_id      text,
        actor_name    text,
        entity_scope  uuid[],
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz
      )`);
    // The door `import` in the audit log: its batches' records say which door changed the person.
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_door_check`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_door_check
                   CHECK (door IN ('scim', 'admin', 'auth', 'system', 'cli', 'import')) NOT VALID`);
    await q.query(`ALTER TABLE audit_events VALIDATE CONSTRAINT audit_events_door_check`);
    await q.query(`CREATE INDEX imports_created_idx ON imports (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX imports_open_idx ON imports (created_at) WHERE status IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE import_rows (
        import_id     uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        n             integer NOT NULL,
        line          integer NOT NULL,
        cells         jsonb NOT NULL,
        email_key     text,
        user_name_key text,
        result        text,
        reason        text,
        user_id       uuid,
        PRIMARY KEY (import_id, n)
      )`);
    // The rows still to do, in file order: what each batch claims.
    await q.query(`CREATE INDEX import_rows_todo_idx ON import_rows (import_id, n) WHERE result IS NULL`);
    await q.query(`CREATE INDEX import_rows_email_idx ON import_rows (import_id, email_key)`);
    // sync: the people a row matched are not absent from the file.
    await q.query(`CREATE INDEX import_rows_user_idx ON import_rows (import_id, user_id) WHERE user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_rows`);
    await q.query(`DROP TABLE imports`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_door_check`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_door_check
                   CHECK (door IN ('scim', 'admin', 'auth', 'system', 'cli')) NOT VALID`);
  }
}
