import type { MigrationInterface, QueryRunner } from "typeorm";
import { LOCKED_CHAIN_TRIGGERS, REFUSE_CHANGES_FN } from "./1764000000008-audit-chain";

const UNCHAINED_FN = `
      CREATE FUNCTION roster_audit_unchained() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        RETURN NEW;
      END $$`;

const SEAL_AFTER_COMMIT_FN = `
      CREATE FUNCTION roster_audit_seal(max_records integer, wait boolean DEFAULT false) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      DECLARE
        head audit_chain_head;
        r audit_events;
        s bigint;
        prev text;
        cur text;
        ids bigint[] := '{}';
        seqs bigint[] := '{}';
        prevs text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        IF wait THEN
          SELECT * INTO head FROM audit_chain_head FOR UPDATE;
        ELSE
          SELECT * INTO head FROM audit_chain_head FOR UPDATE SKIP LOCKED;
        END IF;
        IF NOT FOUND THEN
          IF EXISTS (SELECT 1 FROM audit_chain_head) THEN
            RETURN NULL; -- another sealer holds the head
          END IF;
          RAISE EXCEPTION 'audit_chain_head has no row: the audit chain cannot be extended';
        END IF;
        s := head.seq;
        cur := head.hash;
        FOR r IN SELECT * FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT max_records LOOP
          s := s + 1;
          prev := cur;
          cur := roster_audit_hash(r, s, prev);
          ids := ids || r.id;
          seqs := seqs || s;
          prevs := prevs || prev;
          hashes := hashes || cur;
        END LOOP;
        IF s = head.seq THEN
          RETURN 0;
        END IF;
        PERFORM set_config('roster.audit_sealing', txid_current()::text, true);
        UPDATE audit_events a SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
        FROM unnest(ids, seqs, prevs, hashes) AS u(id, seq, prev_hash, hash) WHERE a.id = u.id;
        UPDATE audit_chain_head SET seq = s, prev_hash = prev, hash = cur;
        PERFORM set_config('roster.audit_sealing', '', true);
        RETURN s - head.seq;
      END $$`;

const REFUSE_EXCEPT_SEALER_FN = `
      CREATE OR REPLACE FUNCTION roster_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('roster.audit_sealing', true) IS NOT DISTINCT FROM txid_current()::text THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION '% on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege', HINT = 'audit records are only ever inserted; see docs/ARCHITECTURE.md';
      END $$`;

const SEAL_ONLY_FN = `
      CREATE FUNCTION roster_audit_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.seq IS NOT NULL THEN
          RAISE EXCEPTION 'UPDATE on audit_events refused: record % is sealed (seq %)', OLD.id, OLD.seq
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.seq IS NULL OR to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'] IS DISTINCT FROM to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
          RAISE EXCEPTION 'UPDATE on audit_events refused: sealing sets seq, prev_hash and hash of record %, nothing else', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`;

/**
 * The after-commit sealer's index, functions and triggers, as this migration installs them; migration 1764000000250's
 * down() puts them back with the same call.
 */
export async function installSealAfterCommit(q: QueryRunner): Promise<void> {
  await q.query(`CREATE INDEX audit_events_unsealed_idx ON audit_events (id) WHERE seq IS NULL`);
  await q.query(UNCHAINED_FN);
  await q.query(
    `CREATE TRIGGER audit_events_unchained BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION roster_audit_unchained()`,
  );
  // SECURITY DEFINER: a service role that does not own the tables needs EXECUTE on this, not UPDATE on them.
  // Call it in its own READ COMMITTED transaction: each statement then sees what committed before it, so after the
  // lock the unsealed rows read are exactly those the previous sealer left.
  await q.query(SEAL_AFTER_COMMIT_FN);
  // Statement level (so even an UPDATE of no row is refused): only the sealer may UPDATE either table.
  await q.query(REFUSE_EXCEPT_SEALER_FN);
  // Row level: what the sealer may do to a record, whoever sets the marker.
  await q.query(SEAL_ONLY_FN);
  await q.query(
    `CREATE TRIGGER audit_events_seal_only BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION roster_audit_seal_only()`,
  );
}

/**
 * Seals the audit hash chain after commit instead of under a lock held until each audited transaction commits.
 * Records are now inserted unchained (seq, prev_hash and hash NULL, whatever the writer sends); `roster_audit_seal`
 * chains committed, unsealed records in id order, a batch per call, under the head row's lock (taken with SKIP
 * LOCKED, so a second sealer returns NULL instead of queueing, unless it asks to wait). seq order is seal order.
 * Sealing is the only UPDATE the log accepts: it must come from inside the sealer (a transaction-local setting tagged
 * with the txid), touch only unsealed rows and change nothing but the three chain columns. See docs/ARCHITECTURE.md.
 */
export class AuditSealAfterCommit1764000000011 implements MigrationInterface {
  name = "AuditSealAfterCommit1764000000011";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`DROP TRIGGER audit_events_seal ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_chain ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_seal()`);
    await q.query(`DROP FUNCTION roster_audit_append()`);
    // Every existing record was chained by the old trigger; from here on a record is either wholly unsealed or sealed.
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL,
                   ALTER COLUMN hash DROP NOT NULL,
                   ADD CONSTRAINT audit_events_sealed_whole CHECK ((seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (hash IS NULL))`);
    await installSealAfterCommit(q);
    // Each record is now written twice (insert, then seal): keep dead versions from piling up between autovacuums.
    await q.query(`ALTER TABLE audit_events SET (autovacuum_vacuum_scale_factor = 0.05)`);
    // Nothing is unsealed yet (the old trigger chained every row), but seal anyway, so the invariant is checked here.
    await q.query(`SELECT roster_audit_seal(2147483647, true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`SELECT roster_audit_seal(2147483647, true)`);
    await q.query(`ALTER TABLE audit_events RESET (autovacuum_vacuum_scale_factor)`);
    await q.query(`DROP TRIGGER audit_events_seal_only ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_seal_only()`);
    await q.query(`DROP FUNCTION roster_audit_seal(integer, boolean)`);
    await q.query(`DROP TRIGGER audit_events_unchained ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_unchained()`);
    await q.query(`DROP INDEX audit_events_unsealed_idx`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_sealed_whole, ALTER COLUMN seq SET NOT NULL,
                   ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    // Migration 008's triggers, as it created them.
    await q.query(REFUSE_CHANGES_FN);
    for (const statement of LOCKED_CHAIN_TRIGGERS) await q.query(statement);
  }
}
