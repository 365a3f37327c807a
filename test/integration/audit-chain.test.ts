import { AuditChainService, GENESIS_HASH } from "../../src/domain/audit-log/audit-chain.service";
import type { Ctx } from "../../src/domain/context";
import { recordIn, unitOfWork, writeIn } from "../../src/domain/unit-of-work";
import { startTestApp, type TestApp } from "../support/app";
import { appendAudits, resetAuditLog, sealAudits, tamper } from "../support/audit";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
let chain: AuditChainService;
beforeAll(async () => {
  t = await startTestApp();
  chain = new AuditChainService(t.ds);
});
afterAll(async () => t.close());

const ctx: Ctx = { actor: { type: "system", id: null, name: "chain-test" }, door: "system", requestId: null };
const links = async () =>
  (await t.ds.query("SELECT seq::int, prev_hash, hash FROM audit_events ORDER BY seq")) as {
    seq: number;
    prev_hash: string;
    hash: string;
  }[];
const unsealed = async () => Number((await t.ds.query("SELECT count(*) FROM audit_events WHERE seq IS NULL"))[0].count);

describe("the audit hash chain", () => {
  beforeEach(async () => resetAuditLog(t.ds));

  it("chains the records of both write paths (one-statement writes and transactions) into one line from the genesis", async () => {
    const created = await t.scim.post("/Users", buildScimUser()).expect(201);
    await t.scim
      .patch(`/Users/${created.body.id}`, patchOp({ op: "replace", path: "active", value: false }))
      .expect(200);
    await t.token("auditor");
    // Written unchained: nothing has a seq until a sealer runs.
    expect(await unsealed()).toBe(3);
    expect(await sealAudits(t.ds)).toBe(3);
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(3);
    expect(await chain.verify()).toEqual({
      records: 3,
      head: { seq: 3, hash: rows[2].hash },
      broken: null,
      sealed: 0,
      pending: 0,
    });
  });

  it("is intact and empty on a fresh log", async () => {
    expect(await chain.verify()).toEqual({
      records: 0,
      head: { seq: 0, hash: GENESIS_HASH },
      broken: null,
      sealed: 0,
      pending: 0,
    });
  });

  it("a unit of work that wrote audit records, outbox and feed events and rolled back leaves nothing: no record, no event, no gap", async () => {
    await appendAudits(t.ds, 2);
    const effects = (n: number) => ({
      audits: [{ action: "test.rolled-back", subject: { type: "user" as const, id: null }, changes: { n } }],
      // a consumed topic (queued in the outbox) and a feed one, so that both tables are written and then undone
      events: [
        { topic: "user.deactivated" as const, payload: { rolledBack: n } },
        { topic: "user.updated" as const, payload: { rolledBack: n } },
      ],
    });
    await expect(
      unitOfWork(t.ds, ctx, async (tx) => {
        await recordIn(tx, effects(1));
        expect(await writeIn(tx, { text: "SELECT 1 AS one", values: [] }, effects(2))).toEqual({ one: 1 });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await t.ds.query("SELECT 1 FROM outbox WHERE payload ? 'rolledBack'")).toEqual([]);
    expect(await t.ds.query("SELECT 1 FROM events WHERE data ? 'rolledBack'")).toEqual([]);
    expect(await unsealed()).toBe(0);
    expect(await sealAudits(t.ds)).toBe(0);
    await appendAudits(t.ds, 1);
    expect((await links()).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await t.ds.query("SELECT 1 FROM audit_events WHERE action = 'test.rolled-back'")).toEqual([]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("ignores a seq, prev_hash or hash the writer tries to set: the record is inserted unsealed", async () => {
    await appendAudits(t.ds, 1);
    await t.ds.query(`INSERT INTO audit_events (actor_type, door, action, target_type, seq, prev_hash, hash)
                      VALUES ('system', 'system', 'test.forged', 'user', 99, 'x', 'y')`);
    expect(await t.ds.query("SELECT seq, prev_hash, hash FROM audit_events WHERE action = 'test.forged'")).toEqual([
      { seq: null, prev_hash: null, hash: null },
    ]);
    await sealAudits(t.ds);
    expect((await links()).map((r) => r.seq)).toEqual([1, 2]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("refuses UPDATE, DELETE and TRUNCATE of the log, and any direct change to its head", async () => {
    await appendAudits(t.ds, 2);
    await expect(t.ds.query("UPDATE audit_events SET action = 'x'")).rejects.toThrow(
      /UPDATE on audit_events refused: the audit log is append-only/,
    );
    await expect(t.ds.query("DELETE FROM audit_events WHERE seq = 1")).rejects.toThrow(
      /DELETE on audit_events refused/,
    );
    await expect(t.ds.query("DELETE FROM audit_events WHERE false")).rejects.toThrow(/append-only/);
    await expect(t.ds.query("TRUNCATE audit_events")).rejects.toThrow(/TRUNCATE on audit_events refused/);
    await expect(t.ds.query("UPDATE audit_chain_head SET seq = 1")).rejects.toThrow(
      /UPDATE on audit_chain_head refused/,
    );
    await expect(t.ds.query("DELETE FROM audit_chain_head")).rejects.toThrow(/DELETE on audit_chain_head refused/);
    await expect(t.ds.query("INSERT INTO audit_chain_head VALUES (true, 0, '', '')")).rejects.toThrow(
      /INSERT on audit_chain_head refused/,
    );
    expect(await chain.verify()).toMatchObject({ records: 2, broken: null });
  });

  it("stays one linear chain under many concurrent writers (SCIM creates, token creates, raw inserts) and sealers", async () => {
    const sealers = t.ds.query("SELECT roster_audit_seal(7) FROM generate_series(1, 1)");
    await Promise.all([
      ...Array.from({ length: 24 }, () => t.scim.post("/Users", buildScimUser()).expect(201)),
      ...Array.from({ length: 8 }, () => t.token("auditor")),
      ...Array.from({ length: 8 }, (_, i) => appendAudits(t.ds, 5, { seal: i % 2 === 0 })),
      sealers,
    ]);
    await sealAudits(t.ds);
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await chain.verify({ batchSize: 10 })).toMatchObject({ records: 72, broken: null });
  });

  it("forks never: sealers racing each other make one chain with no duplicate seq, writers' rollbacks leave no gap", async () => {
    const writers = Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        t.ds.transaction(async (m) => {
          await m.query(
            "INSERT INTO audit_events (actor_type, door, action, target_type) SELECT 'system', 'system', $1, 'user' FROM generate_series(1, 10)",
            [`test.tx${i}`],
          );
          await m.query("SELECT pg_sleep(0.01)");
          if (i % 4 === 0) throw new Error("roll back");
        }),
      ),
    );
    // Six sealers on six connections, each sealing batches of 3 until its writers are done.
    let writing = true;
    const sealer = async () => {
      let sealed = 0;
      let skipped = 0;
      while (writing) {
        const [{ n }] = await t.ds.query("SELECT roster_audit_seal(3) AS n");
        if (n === null) skipped++;
        else sealed += n;
      }
      return { sealed, skipped };
    };
    const racing = Array.from({ length: 6 }, sealer);
    const results = await writers;
    writing = false;
    const counts = await Promise.all(racing);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(9);
    const rest = await sealAudits(t.ds);
    expect(counts.reduce((sum, c) => sum + c.sealed, 0) + rest).toBe(90);
    const rows = await links();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await chain.verify()).toMatchObject({ records: 90, broken: null, sealed: 0, pending: 0 });
  });

  it("lets one sealer at a time hold the head: another skips (NULL) without waiting, or waits if asked", async () => {
    await appendAudits(t.ds, 4, { seal: false });
    const holder = t.ds.createQueryRunner();
    try {
      await holder.startTransaction();
      expect(await holder.query("SELECT roster_audit_seal(2) AS n")).toEqual([{ n: 2 }]);
      expect(await t.ds.query("SELECT roster_audit_seal(10) AS n")).toEqual([{ n: null }]);
      const waiter = t.ds.query("SELECT roster_audit_seal(10, true) AS n");
      await holder.commitTransaction();
      // The waiter reads the head its predecessor committed and seals what it left.
      expect(await waiter).toEqual([{ n: 2 }]);
    } finally {
      await holder.release();
    }
    expect((await links()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("chains many records of one transaction across statements, in batches, in id order", async () => {
    const insert =
      "INSERT INTO audit_events (actor_type, door, action, target_type) SELECT 'system', 'system', 'test.tx', 'user' FROM generate_series(1, $1::int)";
    await t.ds.transaction(async (m) => {
      await m.query(insert, [2000]);
      await m.query(insert, [3]);
      await m.query(insert, [4]);
    });
    await appendAudits(t.ds, 1, { seal: false });
    expect(await t.ds.query("SELECT roster_audit_seal(500) AS n")).toEqual([{ n: 500 }]);
    expect(await chain.verify({ seal: false })).toMatchObject({
      records: 500,
      head: { seq: 500 },
      broken: null,
      sealed: 0,
      pending: 1508,
    });
    expect(await chain.verify()).toMatchObject({
      records: 2008,
      head: { seq: 2008 },
      broken: null,
      sealed: 1508,
      pending: 0,
    });
    const outOfOrder = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events a JOIN audit_events b ON b.seq = a.seq + 1 WHERE b.id < a.id",
    );
    expect(outOfOrder).toEqual([{ n: 0 }]);
  });

  it("seals a record committed late with a smaller id in a later batch: seq is seal order, not id order", async () => {
    const late = t.ds.createQueryRunner();
    try {
      await late.startTransaction();
      const [{ id: lateId }] = await late.query(
        "INSERT INTO audit_events (actor_type, door, action, target_type) VALUES ('system', 'system', 'test.late', 'user') RETURNING id",
      );
      await appendAudits(t.ds, 2);
      await late.commitTransaction();
      await sealAudits(t.ds);
      const rows = await t.ds.query("SELECT id::int, seq::int FROM audit_events ORDER BY seq");
      expect(rows[2]).toEqual({ id: Number(lateId), seq: 3 });
      expect(rows[0].id).toBeGreaterThan(Number(lateId));
    } finally {
      await late.release();
    }
    expect((await chain.verify()).broken).toBeNull();
  });

  it("refuses any UPDATE of an unsealed record but the sealer's, and of a sealed record even with the sealer's marker", async () => {
    await appendAudits(t.ds, 2);
    await appendAudits(t.ds, 1, { seal: false });
    await expect(
      t.ds.query("UPDATE audit_events SET seq = 3, prev_hash = 'x', hash = 'y' WHERE seq IS NULL"),
    ).rejects.toThrow(/UPDATE on audit_events refused: the audit log is append-only/);
    await expect(t.ds.query("UPDATE audit_events SET action = 'x' WHERE seq IS NULL")).rejects.toThrow(/append-only/);
    // A session-level marker (or one of another transaction) unlocks nothing.
    const qr = t.ds.createQueryRunner();
    try {
      await qr.query("SET roster.audit_sealing = '1'");
      await expect(qr.query("UPDATE audit_events SET action = 'x' WHERE seq IS NULL")).rejects.toThrow(/append-only/);
      await qr.query("RESET roster.audit_sealing");
      // Someone who forges the marker of their own transaction still may only fill the chain columns of unsealed records.
      await qr.startTransaction();
      await qr.query("SELECT set_config('roster.audit_sealing', txid_current()::text, true)");
      await qr.query("SAVEPOINT s");
      await expect(qr.query("UPDATE audit_events SET actor_name = 'x' WHERE seq = 1")).rejects.toThrow(
        /record \d+ is sealed \(seq 1\)/,
      );
      await qr.query("ROLLBACK TO SAVEPOINT s");
      await expect(
        qr.query("UPDATE audit_events SET seq = 3, prev_hash = 'x', hash = 'y', action = 'x' WHERE seq IS NULL"),
      ).rejects.toThrow(/sets seq, prev_hash and hash of record \d+, nothing else/);
      await qr.query("ROLLBACK TO SAVEPOINT s");
      await expect(qr.query("UPDATE audit_events SET seq = NULL WHERE seq IS NULL")).rejects.toThrow(/nothing else/);
      await qr.rollbackTransaction();
    } finally {
      await qr.release();
    }
    expect(await chain.verify()).toMatchObject({ records: 3, broken: null, sealed: 1 });
  });

  it("verify catches a seal forged with the marker (chain columns of an unsealed record set by hand)", async () => {
    await appendAudits(t.ds, 2);
    await appendAudits(t.ds, 1, { seal: false });
    await t.ds.transaction(async (m) => {
      await m.query("SELECT set_config('roster.audit_sealing', txid_current()::text, true)");
      await m.query("UPDATE audit_events SET seq = 3, prev_hash = 'forged', hash = repeat('f', 64) WHERE seq IS NULL");
      await m.query("UPDATE audit_chain_head SET seq = 3, prev_hash = 'forged', hash = repeat('f', 64)");
    });
    const [{ id }] = await t.ds.query("SELECT id FROM audit_events WHERE seq = 3");
    expect((await chain.verify()).broken).toEqual({
      seq: 3,
      id: String(id),
      problem: expect.stringMatching(/content does not match its hash/),
    });
  });

  it("the migrations chain the records written before them, in id order (011's down seals what is pending)", async () => {
    await appendAudits(t.ds, 2, { seal: false });
    const last = async () =>
      (await t.ds.query("SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1"))[0].name as string;
    for (let undone = ""; undone !== "AuditChain1764000000008"; ) {
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
    expect(rows.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await chain.verify()).toMatchObject({ records: 7, broken: null });
    await appendAudits(t.ds, 1);
    expect(await chain.verify()).toMatchObject({ records: 8, broken: null });
  });
});

describe("verification names the first broken record", () => {
  beforeEach(async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 30);
  });
  const idOf = async (seq: number) =>
    String((await t.ds.query("SELECT id FROM audit_events WHERE seq = $1", [seq]))[0].id);

  it("a record changed after it was written (trigger disabled for the UPDATE)", async () => {
    await tamper(t.ds, `UPDATE audit_events SET changes = '{"title":{"before":"a","after":"b"}}' WHERE seq = 17`);
    const report = await chain.verify({ batchSize: 7 });
    expect(report.broken).toEqual({
      seq: 17,
      id: await idOf(17),
      problem: expect.stringMatching(/content does not match its hash/),
    });
    expect(report.records).toBe(16);
  });

  it("a record changed and re-hashed: the link to the next one breaks", async () => {
    await tamper(t.ds, "UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 9");
    await tamper(t.ds, "UPDATE audit_events a SET hash = roster_audit_hash(a, a.seq, a.prev_hash) WHERE seq = 9");
    const report = await chain.verify();
    expect(report.broken).toEqual({
      seq: 10,
      id: await idOf(10),
      problem: expect.stringMatching(/prev_hash is not record 9's hash/),
    });
  });

  it("a deleted record", async () => {
    await tamper(t.ds, "DELETE FROM audit_events WHERE seq = 5");
    expect((await chain.verify({ batchSize: 4 })).broken).toEqual({
      seq: 6,
      id: await idOf(6),
      problem: "record 5 is missing before it (deleted?)",
    });
  });

  it("deleted records at the end (the head still knows where the chain ends)", async () => {
    await tamper(t.ds, "DELETE FROM audit_events WHERE seq > 27");
    expect((await chain.verify()).broken).toEqual({
      seq: 28,
      id: null,
      problem: expect.stringMatching(/^records 28\.\.30 are missing/),
    });
  });

  it("two records swapped in the order", async () => {
    await tamper(
      t.ds,
      "UPDATE audit_events SET seq = CASE seq WHEN 12 THEN -1 WHEN 13 THEN 12 END WHERE seq IN (12, 13)",
    );
    await tamper(t.ds, "UPDATE audit_events SET seq = 13 WHERE seq = -1");
    const report = await chain.verify();
    expect(report.broken).toMatchObject({ seq: 12, problem: expect.stringMatching(/content does not match its hash/) });
  });

  it("a chain rewritten from one record on passes the hash checks, and only an anchor taken earlier catches it", async () => {
    const anchor = (await chain.head())!;
    const anchoredBefore = {
      seq: 20,
      hash: (await t.ds.query("SELECT hash FROM audit_events WHERE seq = 20"))[0].hash as string,
    };
    // Someone with DDL rights rewrites record 15 and recomputes every hash after it, and the head.
    await tamper(t.ds, "UPDATE audit_events SET actor_name = 'rewritten' WHERE seq = 15");
    await t.ds.transaction(async (m) => {
      await m.query(
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only, DISABLE TRIGGER audit_events_seal_only",
      );
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
      await m.query(
        "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only, ENABLE TRIGGER audit_events_seal_only",
      );
    });
    expect((await chain.verify()).broken).toBeNull();
    expect((await chain.verify({ anchor })).broken).toMatchObject({
      seq: 30,
      problem: expect.stringMatching(/is not the anchored/),
    });
    expect((await chain.verify({ anchor: anchoredBefore })).broken).toMatchObject({ seq: 20 });
    expect((await chain.verify({ anchor: { seq: 31, hash: anchor.hash } })).broken).toMatchObject({
      seq: 31,
      problem: expect.stringMatching(/not in the chain/),
    });
  });
});
