import type { DataSource, QueryRunner } from "typeorm";
import { AuditChainService } from "../../src/domain/audit-log/audit-chain.service";
import { AuditSealer } from "../../src/domain/audit-log/audit-sealer";
import { appendAudits, markAudits, resetAuditLog, sealAudits } from "../support/audit";
import { openTestDataSource } from "../support/database";

let ds: DataSource;
let chain: AuditChainService;
beforeAll(async () => {
  ds = await openTestDataSource();
  chain = new AuditChainService(ds);
});
afterAll(async () => ds.destroy());
beforeEach(async () => resetAuditLog(ds));

const INSERT_ONE =
  "INSERT INTO audit_events (actor_type, door, action, target_type) VALUES ('system', 'system', $1, 'user') RETURNING id";
const sealed = async () =>
  (await ds.query(
    "SELECT a.id::int, s.seq::int, a.action FROM audit_events a JOIN audit_seals s ON s.id = a.id ORDER BY s.seq",
  )) as { id: number; seq: number; action: string }[];

/** A writer holding its transaction open after taking an id. */
async function openWriter(action: string): Promise<{ qr: QueryRunner; id: number }> {
  const qr = ds.createQueryRunner();
  await qr.startTransaction();
  const [{ id }] = await qr.query(INSERT_ONE, [action]);
  return { qr, id: Number(id) };
}

describe("sealing in id order behind a commit watermark", () => {
  it("a writer that took its id before the mark and commits after it is sealed in id order, once, never skipped", async () => {
    const first = await openWriter("test.first");
    const second = await openWriter("test.second");
    try {
      expect(second.id).toBeGreaterThan(first.id);
      // Committed in the other order, with seals in between: the mark covers both ids, the first is still running.
      await second.qr.commitTransaction();
      await markAudits(ds);
      for (let i = 0; i < 3; i++) expect(await new AuditSealer(ds).sealBatch(100, true)).toBe(0);
      expect(await sealed()).toEqual([]);
      await first.qr.commitTransaction();
    } finally {
      await first.qr.release();
      await second.qr.release();
    }
    expect(await sealAudits(ds)).toBe(2);
    expect(await sealed()).toEqual([
      { id: first.id, seq: 1, action: "test.first" },
      { id: second.id, seq: 2, action: "test.second" },
    ]);
    await appendAudits(ds, 2);
    expect((await sealed()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(await chain.verify()).toMatchObject({ records: 4, broken: null, pending: 0 });
  });

  it("waits for a writer whose xid is the newest when the mark is taken (no later transaction has completed)", async () => {
    // pg_snapshot_xmax() would be this writer's xid here (the latest completed + 1), and a snapshot's xmin ignores it:
    // the mark's X is the sealer's own xid instead, handed out after the writer's.
    const writer = await openWriter("test.newest");
    try {
      await markAudits(ds);
      expect(await new AuditSealer(ds).sealBatch(100, true)).toBe(0);
      expect(await sealed()).toEqual([]);
      await writer.qr.commitTransaction();
    } finally {
      await writer.qr.release();
    }
    expect(await sealAudits(ds)).toBe(1);
    expect(await sealed()).toEqual([{ id: writer.id, seq: 1, action: "test.newest" }]);
  });

  it("a transaction holding an id open delays later ids; sealPending gives up after its bound and reads what is sealed", async () => {
    await appendAudits(ds, 2);
    const held = await openWriter("test.held");
    try {
      await appendAudits(ds, 3, { seal: false });
      const bounded = new AuditSealer(ds, 300);
      const started = Date.now();
      expect(await bounded.sealPending()).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(await bounded.pendingCount()).toBe(3);
      expect((await sealed()).map((r) => r.seq)).toEqual([1, 2]);
      await held.qr.rollbackTransaction();
    } finally {
      await held.qr.release();
    }
    // Rolled back: its id is a gap in the ids, never in seq.
    expect(await sealAudits(ds)).toBe(3);
    const rows = await sealed();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.id)).not.toContain(held.id);
    expect(await chain.verify()).toMatchObject({ records: 5, broken: null, pending: 0 });
  });

  it("refuses UPDATE and DELETE of records and seals even with the sealer's marker set by hand", async () => {
    await appendAudits(ds, 2);
    const qr = ds.createQueryRunner();
    try {
      await qr.startTransaction();
      await qr.query("SELECT set_config('roster.audit_sealing', txid_current()::text, true)");
      for (const statement of [
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events WHERE id = 1",
        "UPDATE audit_seals SET hash = 'x'",
        "DELETE FROM audit_seals WHERE seq = 1",
        "TRUNCATE audit_seals",
      ]) {
        await qr.query("SAVEPOINT s");
        await expect(qr.query(statement)).rejects.toThrow(/refused: the audit log is append-only/);
        await qr.query("ROLLBACK TO SAVEPOINT s");
      }
      await qr.rollbackTransaction();
      // A session-level marker (not this transaction's) unlocks no INSERT of a seal either.
      await qr.query("SET roster.audit_sealing = '1'");
      await expect(qr.query("INSERT INTO audit_seals VALUES (99, 99, 'x', 'y')")).rejects.toThrow(
        /INSERT on audit_seals refused/,
      );
      await qr.query("RESET roster.audit_sealing");
    } finally {
      await qr.release();
    }
    expect(await chain.verify()).toMatchObject({ records: 2, broken: null });
  });

  it("a never-used id sequence is a mark of 0: nothing to seal, and the first records are sealed from id 1", async () => {
    await markAudits(ds);
    expect(await ds.query("SELECT sealed_through::int, mark_through::int FROM audit_chain_head")).toEqual([
      { sealed_through: 0, mark_through: 0 },
    ]);
    expect(await appendAudits(ds, 3)).toEqual([1, 2, 3]);
  });
});

describe("the migration to insert-only seals", () => {
  it("keeps the chain verifying over records sealed and unsealed before it, and links new ones after them", async () => {
    await appendAudits(ds, 2);
    const name = async () =>
      (await ds.query("SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1"))[0].name as string;
    // Later migrations first, down to and including this one.
    for (let undone = ""; undone !== "AuditSealsInsertOnly1764000000250"; ) {
      undone = await name();
      await ds.undoLastMigration({ transaction: "each" });
    }
    const applied = async () =>
      (await ds.query("SELECT 1 FROM schema_migrations WHERE name = 'AuditSealsInsertOnly1764000000250'")).length > 0;
    try {
      expect(await applied()).toBe(false);
      // The old shape: records inserted unsealed, some sealed by the old sealer (UPDATE), some left unsealed.
      const insert = `INSERT INTO audit_events (actor_type, door, action, target_type)
                      SELECT 'system', 'system', 'test.old', 'user' FROM generate_series(1, $1::int)`;
      await ds.query(insert, [3]);
      await ds.query("SELECT roster_audit_seal(100)");
      await ds.query(insert, [4]);
      expect(await ds.query("SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL")).toEqual([{ n: 4 }]);
    } finally {
      await ds.runMigrations({ transaction: "each" });
    }
    expect(await applied()).toBe(true);
    expect((await sealed()).map((r) => [r.id, r.seq])).toEqual(Array.from({ length: 9 }, (_, i) => [i + 1, i + 1]));
    expect(await chain.verify()).toMatchObject({ records: 9, broken: null, pending: 0 });
    await appendAudits(ds, 2);
    expect(await chain.verify()).toMatchObject({ records: 11, broken: null, pending: 0 });
  });
});
