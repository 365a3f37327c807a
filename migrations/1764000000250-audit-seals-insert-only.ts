import type { MigrationInterface, QueryRunner } from "typeorm";
import { installSealAfterCommit } from "./1764000000011-audit-seal-after-commit";

/**
 * The sealer of the chain in id order behind a commit watermark (decision 0152). A mark is (L, X): L the id sequence's
 * last value, read first, then X the sealer's own xid, assigned after that read. Ids are taken only after the writer's
 * transaction has its xid (audit_events_id), and xids are handed out in order, so every id <= L belongs to a
 * transaction with an xid < X. Once a later snapshot's xmin is >= X (X itself committed, so that snapshot lists every
 * running xid below X), all of them have ended and every record with id <= L that will ever exist is visible: they
 * are sealed in id order. When caught up, the call's (L, X) becomes the next mark. Not X = pg_snapshot_xmax(): that is
 * the latest completed xid + 1, and a transaction with a larger xid may be running unseen. A call inside a transaction
 * that had an xid before it takes no mark (its X would not follow L).
 */
const SEAL_BEHIND_MARK_FN = `
      CREATE FUNCTION roster_audit_seal(max_records integer, wait boolean DEFAULT false) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      DECLARE
        head audit_chain_head;
        r audit_events;
        s bigint;
        prev text;
        cur text;
        upto bigint;
        n integer := 0;
        l bigint;
        x xid8;
        fresh boolean := pg_current_xact_id_if_assigned() IS NULL;
        ids bigint[] := '{}';
        seqs bigint[] := '{}';
        prevs text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO l FROM audit_events_id_seq;
        x := pg_current_xact_id(); -- assigned now, after L was read
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
        prev := head.prev_hash;
        upto := head.sealed_through;
        IF head.mark_xmax IS NOT NULL AND pg_snapshot_xmin(pg_current_snapshot()) >= head.mark_xmax THEN
          -- A new statement, so a new snapshot: every transaction that could hold an id <= mark_through has ended.
          FOR r IN SELECT * FROM audit_events WHERE id > head.sealed_through AND id <= head.mark_through
                   ORDER BY id LIMIT max_records LOOP
            s := s + 1;
            prev := cur;
            cur := roster_audit_hash(r, s, prev);
            n := n + 1;
            ids := ids || r.id;
            seqs := seqs || s;
            prevs := prevs || prev;
            hashes := hashes || cur;
          END LOOP;
          -- A full batch may have left records under the mark: continue after the last one sealed.
          upto := CASE WHEN n < max_records THEN head.mark_through WHEN n > 0 THEN ids[n] ELSE head.sealed_through END;
        END IF;
        IF fresh AND (head.mark_xmax IS NULL OR upto >= head.mark_through) THEN
          NULL; -- caught up: (l, x) of this call is the next mark
        ELSE
          l := head.mark_through;
          x := head.mark_xmax;
        END IF;
        IF n = 0 AND upto = head.sealed_through AND l IS NOT DISTINCT FROM head.mark_through THEN
          RETURN 0; -- nothing sealed and no new id since the mark: the head stays as it is
        END IF;
        PERFORM set_config('roster.audit_sealing', txid_current()::text, true);
        IF n > 0 THEN
          INSERT INTO audit_seals (id, seq, prev_hash, hash) SELECT * FROM unnest(ids, seqs, prevs, hashes);
        END IF;
        UPDATE audit_chain_head SET seq = s, prev_hash = prev, hash = cur, sealed_through = upto,
                                    mark_through = l, mark_xmax = x;
        PERFORM set_config('roster.audit_sealing', '', true);
        RETURN n;
      END $$`;

/** audit_events and audit_seals refuse every change but the sealer's INSERT of seals; the head moves only in the sealer. */
const REFUSE_BUT_SEALS_FN = `
      CREATE OR REPLACE FUNCTION roster_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ((TG_TABLE_NAME = 'audit_seals' AND TG_OP = 'INSERT') OR (TG_TABLE_NAME = 'audit_chain_head' AND TG_OP = 'UPDATE'))
           AND current_setting('roster.audit_sealing', true) IS NOT DISTINCT FROM txid_current()::text THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION '% on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege', HINT = 'audit records are only ever inserted; see docs/ARCHITECTURE.md';
      END $$`;

/** The filter indexes of audit_events, keyed on id from here on (on seq before): one list, two names and shapes. */
const FILTERS: readonly [name: string, keys: string][] = [
  ["target", "target_type, target_id"],
  ["actor_id", "actor_id"],
  ["actor_name", "lower(actor_name)"],
  ["door", "door"],
  ["action", `(action COLLATE "C")`],
];
const ID_INDEXES = FILTERS.map(([n, k]) => [`audit_events_${n}_idx`, `(${k}, id)`] as const);
const SEQ_INDEXES = FILTERS.map(([n, k]) => [`audit_events_${n}_seq_idx`, `(${k}, seq)`] as const);

/**
 * The audit log becomes insert-only (decision 0152): sealing no longer UPDATEs `audit_events` (each seal rewrote the
 * record into ~8 indexes and left a dead tuple). The chain lives in the insert-only `audit_seals` (one row per sealed
 * record, same id), sealed in id order behind a commit watermark kept in `audit_chain_head`, so readers page by id and
 * the filter indexes are keyed on id. Records sealed before keep their seq and hashes (copied here); their seq order
 * may differ from id order in rare concurrent cases, which verification (by seq) and reads (by id) both accept.
 */
export class AuditSealsInsertOnly1764000000250 implements MigrationInterface {
  name = "AuditSealsInsertOnly1764000000250";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE`);
    await q.query(`SELECT roster_audit_seal(2147483647, true)`); // the old way: every record is now sealed
    await q.query(`
      CREATE TABLE audit_seals (
        id        bigint PRIMARY KEY,
        seq       bigint NOT NULL UNIQUE,
        prev_hash text NOT NULL,
        hash      text NOT NULL
      )`);
    await q.query(
      `INSERT INTO audit_seals (id, seq, prev_hash, hash) SELECT id, seq, prev_hash, hash FROM audit_events`,
    );

    await q.query(`DROP TRIGGER audit_events_seal_only ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_seal_only()`);
    await q.query(`DROP TRIGGER audit_events_unchained ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_unchained()`);
    await q.query(`DROP FUNCTION roster_audit_seal(integer, boolean)`);
    await q.query(`DROP INDEX audit_events_unsealed_idx`);
    for (const [name] of SEQ_INDEXES) await q.query(`DROP INDEX ${name}`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_sealed_whole, DROP CONSTRAINT audit_events_seq_key,
                   DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, ALTER COLUMN id DROP DEFAULT,
                   RESET (autovacuum_vacuum_scale_factor)`);
    for (const [name, keys] of ID_INDEXES) await q.query(`CREATE INDEX ${name} ON audit_events ${keys}`);

    // The id is taken once the transaction has its xid (txid_current assigns it): the watermark's premise. No default,
    // and the trigger overwrites whatever a caller sends, so no insert chooses its id.
    await q.query(`
      CREATE FUNCTION roster_audit_id() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM txid_current();
        NEW.id := nextval('audit_events_id_seq');
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_id BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION roster_audit_id()`,
    );

    // Everything up to the sequence's current value is sealed (writers wait on the lock above).
    await q.query(`ALTER TABLE audit_chain_head ADD COLUMN sealed_through bigint NOT NULL DEFAULT 0,
                   ADD COLUMN mark_through bigint, ADD COLUMN mark_xmax xid8`);
    await q.query(REFUSE_BUT_SEALS_FN);
    await q.query(`SELECT set_config('roster.audit_sealing', txid_current()::text, true)`);
    await q.query(`UPDATE audit_chain_head SET sealed_through =
                     (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit_events_id_seq)`);
    await q.query(`SELECT set_config('roster.audit_sealing', '', true)`);
    await q.query(`CREATE TRIGGER audit_seals_insert_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_seals
                   FOR EACH STATEMENT EXECUTE FUNCTION roster_audit_refuse()`);
    // The first call after this transaction takes the first mark (one made here would not follow this xid).
    await q.query(SEAL_BEHIND_MARK_FN);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE`);
    await q.query(`DROP FUNCTION roster_audit_seal(integer, boolean)`);
    await q.query(`DROP TRIGGER audit_events_id ON audit_events`);
    await q.query(`DROP FUNCTION roster_audit_id()`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN id SET DEFAULT nextval('audit_events_id_seq'),
                   ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`);
    // Records not sealed yet stay unsealed: the old sealer chains them after the copied seals.
    await q.query(`
      CREATE TEMP TABLE audit_seals_copy ON COMMIT DROP AS SELECT * FROM audit_seals;
      ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
      UPDATE audit_events a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash FROM audit_seals_copy s WHERE s.id = a.id;
      ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    await q.query(`DROP TABLE audit_seals`);
    await q.query(
      `ALTER TABLE audit_chain_head DROP COLUMN sealed_through, DROP COLUMN mark_through, DROP COLUMN mark_xmax`,
    );
    for (const [name] of ID_INDEXES) await q.query(`DROP INDEX ${name}`);
    for (const [name, keys] of SEQ_INDEXES) await q.query(`CREATE INDEX ${name} ON audit_events ${keys}`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_seq_key UNIQUE (seq),
                   ADD CONSTRAINT audit_events_sealed_whole CHECK ((seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (hash IS NULL)),
                   SET (autovacuum_vacuum_scale_factor = 0.05)`);
    await installSealAfterCommit(q);
    await q.query(`SELECT roster_audit_seal(2147483647, true)`);
  }
}
