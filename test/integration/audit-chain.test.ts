import { AuditChainService, GENESIS_HASH } from "../../src/domain/audit-log/audit-chain.service";
import { recordAudit } from "../../src/domain/audit";
import { Ctx } from "../../src/domain/context";
import { inTransaction } from "../../src/domain/transaction";
import { startTestApp, TestApp } from "../support/app";
import { appendAudits, resetAuditLog, tamper } from "../support/audit";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
let chain: AuditChainService;
beforeAll(async () => {
  t = await startTestApp();
  chain = new AuditChainService(t.ds);
});
afterAll(async () => t.close());

const ctx: Ctx = { actor: { type: "system", id: null, name: "chain-test" }, door: "system", requestId: null };
const links = async () => (await t.ds.query("SELECT seq::int, prev_hash, hash FROM audit_events ORDER BY seq")) as { seq: number; prev_hash: string; hash: string }[];

describe("the audit hash chain", () => {
  beforeEach(async () => resetAuditLog(t.ds));

  it("chains the records of both write paths (one-statement writes and transactions) into one line from the genesis", async () => {
    const created = await t.scim.post("/Users", buildScimUser()).expect(201);
    await t.scim.patch(`/Users/${created.body.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200);
    await t.token("auditor");
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(3);
    expect(await chain.verify()).toEqual({ records: 3, head: { seq: 3, hash: rows[2].hash }, broken: null });
  });

  it("is intact and empty on a fresh log", async () => {
    expect(await chain.verify()).toEqual({ records: 0, head: { seq: 0, hash: GENESIS_HASH }, broken: null });
  });

  it("leaves no gap when a transaction that wrote an audit record rolls back", async () => {
    await appendAudits(t.ds, 2);
    await expect(inTransaction(t.ds, ctx, async (tx) => {
      await recordAudit(tx, "test.rolled-back", { type: "user", id: null });
      throw new Error("abort");
    })).rejects.toThrow("abort");
    await appendAudits(t.ds, 1);
    expect((await links()).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("ignores a seq, prev_hash or hash the writer tries to set", async () => {
    await appendAudits(t.ds, 1);
    await t.ds.query(`INSERT INTO audit_events (actor_type, door, action, target_type, seq, prev_hash, hash)
                      VALUES ('system', 'system', 'test.forged', 'user', 99, 'x', 'y')`);
    expect((await links()).map((r) => r.seq)).toEqual([1, 2]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("refuses UPDATE, DELETE and TRUNCATE of the log, and any direct change to its head", async () => {
    await appendAudits(t.ds, 2);
    await expect(t.ds.query("UPDATE audit_events SET action = 'x'")).rejects.toThrow(/UPDATE on audit_events refused: the audit log is append-only/);
    await expect(t.ds.query("DELETE FROM audit_events WHERE seq = 1")).rejects.toThrow(/DELETE on audit_events refused/);
    await expect(t.ds.query("DELETE FROM audit_events WHERE false")).rejects.toThrow(/append-only/);
    await expect(t.ds.query("TRUNCATE audit_events")).rejects.toThrow(/TRUNCATE on audit_events refused/);
    await expect(t.ds.query("UPDATE audit_chain_head SET seq = 1")).rejects.toThrow(/UPDATE on audit_chain_head refused/);
    await expect(t.ds.query("DELETE FROM audit_chain_head")).rejects.toThrow(/DELETE on audit_chain_head refused/);
    await expect(t.ds.query("INSERT INTO audit_chain_head VALUES (true, 0, '', '')")).rejects.toThrow(/INSERT on audit_chain_head refused/);
    expect(await chain.verify()).toMatchObject({ records: 2, broken: null });
  });

  it("stays one linear chain under many concurrent writers (SCIM creates, token creates, raw inserts)", async () => {
    await Promise.all([
      ...Array.from({ length: 24 }, () => t.scim.post("/Users", buildScimUser()).expect(201)),
      ...Array.from({ length: 8 }, () => t.token("auditor")),
      ...Array.from({ length: 8 }, () => appendAudits(t.ds, 5)),
    ]);
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await chain.verify({ batchSize: 10 })).toMatchObject({ records: 72, broken: null });
  });

  it("forks never: transactions waiting on the head lock re-read the head committed before them, and rollbacks leave no gap", async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => t.ds.transaction(async (m) => {
      await m.query("INSERT INTO audit_events (actor_type, door, action, target_type) VALUES ('system', 'system', $1, 'user')", [`test.tx${i}`]);
      await m.query("SELECT pg_sleep(0.02)"); // hold the head lock while the others queue behind it
      if (i % 4 === 0) throw new Error("roll back");
    })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(9);
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await chain.verify()).toMatchObject({ records: 9, broken: null });
  });

  it("chains many records of one transaction across statements, sealing the head at commit (or earlier, if asked)", async () => {
    const insert = "INSERT INTO audit_events (actor_type, door, action, target_type) SELECT 'system', 'system', 'test.tx', 'user' FROM generate_series(1, $1::int)";
    await t.ds.transaction(async (m) => {
      await m.query(insert, [2000]);
      await m.query("SET CONSTRAINTS ALL IMMEDIATE");
      await m.query(insert, [3]);
      await m.query(insert, [4]);
    });
    await appendAudits(t.ds, 1);
    expect((await chain.head())?.seq).toBe(2008);
    expect(await chain.verify()).toMatchObject({ records: 2008, broken: null });
  });

  it("ignores a session-level roster.audit_tail: only the transaction's own tail counts", async () => {
    await appendAudits(t.ds, 3);
    const qr = t.ds.createQueryRunner();
    try {
      await qr.query(`SET roster.audit_tail = '1:100:${"a".repeat(64)}:${"b".repeat(64)}'`);
      await qr.query("INSERT INTO audit_events (actor_type, door, action, target_type) VALUES ('system', 'system', 'test.stale', 'user')");
      await qr.query("RESET roster.audit_tail");
    } finally {
      await qr.release();
    }
    expect((await links()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("the migration chains the records written before it, in id order", async () => {
    const last = async () => (await t.ds.query("SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1"))[0].name as string;
    for (let undone = ""; undone !== "AuditChain1764000000008";) {
      undone = await last();
      await t.ds.undoLastMigration({ transaction: "each" });
    }
    try {
      await t.ds.query(`INSERT INTO audit_events (at, actor_type, door, action, target_type, changes)
                        SELECT now() - i * interval '1 minute', 'system', 'system', 'test.old', 'user', jsonb_build_object('i', i)
                        FROM generate_series(1, 5) AS i`);
    } finally {
      await t.ds.runMigrations({ transaction: "each" });
    }
    const rows = await t.ds.query("SELECT id::int, seq::int, changes->>'i' AS i FROM audit_events ORDER BY seq");
    expect(rows.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await chain.verify()).toMatchObject({ records: 5, broken: null });
    await appendAudits(t.ds, 1);
    expect(await chain.verify()).toMatchObject({ records: 6, broken: null });
  });
});

describe("verification names the first broken record", () => {
  beforeEach(async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 30);
  });
  const idOf = async (seq: number) => String((await t.ds.query("SELECT id FROM audit_events WHERE seq = $1", [seq]))[0].id);

  it("a record changed after it was written (trigger disabled for the UPDATE)", async () => {
    await tamper(t.ds, `UPDATE audit_events SET changes = '{"title":{"before":"a","after":"b"}}' WHERE seq = 17`);
    const report = await chain.verify({ batchSize: 7 });
    expect(report.broken).toEqual({ seq: 17, id: await idOf(17), problem: expect.stringMatching(/content does not match its hash/) });
    expect(report.records).toBe(16);
  });

  it("a record changed and re-hashed: the link to the next one breaks", async () => {
    await tamper(t.ds, "UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 9");
    await tamper(t.ds, "UPDATE audit_events a SET hash = roster_audit_hash(a, a.seq, a.prev_hash) WHERE seq = 9");
    const report = await chain.verify();
    expect(report.broken).toEqual({ seq: 10, id: await idOf(10), problem: expect.stringMatching(/prev_hash is not record 9's hash/) });
  });

  it("a deleted record", async () => {
    await tamper(t.ds, "DELETE FROM audit_events WHERE seq = 5");
    expect((await chain.verify({ batchSize: 4 })).broken).toEqual({ seq: 6, id: await idOf(6), problem: "record 5 is missing before it (deleted?)" });
  });

  it("deleted records at the end (the head still knows where the chain ends)", async () => {
    await tamper(t.ds, "DELETE FROM audit_events WHERE seq > 27");
    expect((await chain.verify()).broken).toEqual({ seq: 28, id: null, problem: expect.stringMatching(/^records 28\.\.30 are missing/) });
  });

  it("two records swapped in the order", async () => {
    await tamper(t.ds, "UPDATE audit_events SET seq = CASE seq WHEN 12 THEN -1 WHEN 13 THEN 12 END WHERE seq IN (12, 13)");
    await tamper(t.ds, "UPDATE audit_events SET seq = 13 WHERE seq = -1");
    const report = await chain.verify();
    expect(report.broken).toMatchObject({ seq: 12, problem: expect.stringMatching(/content does not match its hash/) });
  });

  it("a chain rewritten from one record on passes the hash checks, and only an anchor taken earlier catches it", async () => {
    const anchor = (await chain.head())!;
    const anchoredBefore = { seq: 20, hash: (await t.ds.query("SELECT hash FROM audit_events WHERE seq = 20"))[0].hash as string };
    // Someone with DDL rights rewrites record 15 and recomputes every hash after it, and the head.
    await tamper(t.ds, "UPDATE audit_events SET actor_name = 'rewritten' WHERE seq = 15");
    await t.ds.transaction(async (m) => {
      await m.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      await m.query("ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_guard");
      await m.query(`DO $$ DECLARE r audit_events; prev text;
        BEGIN
          SELECT hash INTO prev FROM audit_events WHERE seq = 14;
          FOR r IN SELECT * FROM audit_events WHERE seq >= 15 ORDER BY seq LOOP
            UPDATE audit_events SET prev_hash = prev, hash = roster_audit_hash(r, r.seq, prev) WHERE seq = r.seq;
            SELECT hash INTO prev FROM audit_events WHERE seq = r.seq;
          END LOOP;
          UPDATE audit_chain_head SET hash = prev;
        END $$`);
      await m.query("ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_guard");
      await m.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    });
    expect((await chain.verify()).broken).toBeNull();
    expect((await chain.verify({ anchor })).broken).toMatchObject({ seq: 30, problem: expect.stringMatching(/is not the anchored/) });
    expect((await chain.verify({ anchor: anchoredBefore })).broken).toMatchObject({ seq: 20 });
    expect((await chain.verify({ anchor: { seq: 31, hash: anchor.hash } })).broken).toMatchObject({ seq: 31, problem: expect.stringMatching(/not in the chain/) });
  });
});
