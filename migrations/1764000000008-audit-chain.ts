import type { MigrationInterface, QueryRunner } from "typeorm";

/** The locked chain's append and seal-at-commit triggers (also what migration 011's down() puts back). */
export const LOCKED_CHAIN_TRIGGERS: readonly string[] = [
  `
      CREATE FUNCTION roster_audit_append() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        tail text[] := string_to_array(current_setting('roster.audit_tail', true), ':');
        s bigint;
        h text;
      BEGIN
        IF tail[1] IS NOT DISTINCT FROM txid_current()::text THEN
          s := tail[2]::bigint;
          h := tail[4];
        ELSE
          SELECT c.seq, c.hash INTO s, h FROM audit_chain_head c FOR UPDATE;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'audit_chain_head has no row: the audit chain cannot be extended';
          END IF;
        END IF;
        NEW.seq := s + 1;
        NEW.prev_hash := h;
        NEW.hash := roster_audit_hash(NEW, s + 1, h);
        PERFORM set_config('roster.audit_tail', concat_ws(':', txid_current(), NEW.seq, NEW.prev_hash, NEW.hash), true);
        RETURN NEW;
      END $$`,
  `CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION roster_audit_append()`,
  `
      CREATE FUNCTION roster_audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        tail text[] := string_to_array(current_setting('roster.audit_tail', true), ':');
      BEGIN
        IF tail[1] IS NOT DISTINCT FROM txid_current()::text AND tail[5] IS NULL THEN
          UPDATE audit_chain_head SET seq = tail[2]::bigint, prev_hash = tail[3], hash = tail[4];
          PERFORM set_config('roster.audit_tail', array_to_string(tail || 'sealed'::text, ':'), true);
        END IF;
        RETURN NULL;
      END $$`,
  `CREATE CONSTRAINT TRIGGER audit_events_seal AFTER INSERT ON audit_events DEFERRABLE INITIALLY DEFERRED
                   FOR EACH ROW EXECUTE FUNCTION roster_audit_seal()`,
];

/** Refuses UPDATE, DELETE and TRUNCATE; the head may move only from inside the seal trigger. */
export const REFUSE_CHANGES_FN = `
      CREATE OR REPLACE FUNCTION roster_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'audit_chain_head' AND TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION '% on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege', HINT = 'audit records are only ever inserted; see docs/ARCHITECTURE.md';
      END $$`;

/**
 * Makes the audit log tamper-evident and append-only. Each record gets a gap-free `seq`, the hash of the record
 * before it (`prev_hash`) and its own `hash`: sha256 over a canonical serialisation of its content plus prev_hash.
 * A BEFORE INSERT trigger appends to the chain through the one-row `audit_chain_head`: its row lock serialises
 * appends until commit (so there are no forks, and a rolled-back insert leaves no gap), and under READ COMMITTED a
 * writer that waited for it reads the latest committed head. Existing records are chained here, in id order.
 * UPDATE, DELETE and TRUNCATE of the log are refused by triggers; see docs/ARCHITECTURE.md for what that does
 * and does not stop, and `roster audit verify` for the check.
 */
export class AuditChain1764000000008 implements MigrationInterface {
  name = "AuditChain1764000000008";

  async up(q: QueryRunner): Promise<void> {
    // Writers wait while the existing records are chained (they would otherwise be left out of the chain).
    await q.query(`LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`ALTER TABLE audit_events ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`);

    // The canonical form: a JSON array (jsonb text output is deterministic, and null stays distinct from ""),
    // the time in UTC with microseconds whatever the session's TimeZone/DateStyle. `a`'s own seq/prev_hash are ignored.
    await q.query(`
      CREATE FUNCTION roster_audit_hash(a audit_events, seq bigint, prev_hash text) RETURNS text
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT encode(sha256(convert_to(jsonb_build_array(
               seq, a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               a.actor_type, a.actor_id, a.actor_name, a.door, a.action, a.target_type, a.target_id,
               a.changes, a.request_id, prev_hash)::text, 'UTF8')), 'hex') $$`);

    await q.query(`
      CREATE TABLE audit_chain_head (
        one       boolean PRIMARY KEY DEFAULT true CHECK (one),
        seq       bigint NOT NULL,
        prev_hash text NOT NULL,
        hash      text NOT NULL
      ) WITH (fillfactor = 10)`);
    await q.query(`
      DO $$
      DECLARE r audit_events; s bigint := 0; prev text; h text := repeat('0', 64);
      BEGIN
        FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
          s := s + 1; prev := h; h := roster_audit_hash(r, s, prev);
          UPDATE audit_events SET seq = s, prev_hash = prev, hash = h WHERE id = r.id;
        END LOOP;
        INSERT INTO audit_chain_head (seq, prev_hash, hash) VALUES (s, coalesce(prev, repeat('0', 64)), h);
      END $$`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
                   ALTER COLUMN hash SET NOT NULL, ADD CONSTRAINT audit_events_seq_key UNIQUE (seq)`);

    // The first record of a transaction locks the head row (FOR UPDATE) until commit: appends are serialised, and under
    // READ COMMITTED a writer that waited reads the head its predecessor committed. The transaction's tail is then kept
    // in a transaction-local setting (tagged with the txid, so a stale session-level value is ignored) for its next
    // records, and written to the head once, at commit, by a deferred trigger: updating the head row per record would
    // make a transaction of n records walk an n-long chain of row versions each time (quadratic).
    for (const statement of LOCKED_CHAIN_TRIGGERS) await q.query(statement);

    // Statement-level, so even a change touching no row is refused. The head may move only from inside the seal trigger.
    await q.query(REFUSE_CHANGES_FN);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
                   FOR EACH STATEMENT EXECUTE FUNCTION roster_audit_refuse()`);
    await q.query(`CREATE TRIGGER audit_chain_head_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_chain_head
                   FOR EACH STATEMENT EXECUTE FUNCTION roster_audit_refuse()`);
    // The head row is rewritten at every append: vacuum it often so its HOT chain stays short.
    await q.query(
      `ALTER TABLE audit_chain_head SET (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_seal ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_chain ON audit_events`);
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`DROP FUNCTION roster_audit_refuse()`);
    await q.query(`DROP FUNCTION roster_audit_seal()`);
    await q.query(`DROP FUNCTION roster_audit_append()`);
    await q.query(`DROP FUNCTION roster_audit_hash(audit_events, bigint, text)`);
    await q.query(
      `ALTER TABLE audit_events DROP CONSTRAINT audit_events_seq_key, DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash`,
    );
  }
}
