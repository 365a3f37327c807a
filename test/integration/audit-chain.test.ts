import { AuditChainService, GENESIS_HASH } from "../../src/domain/audit-log/audit-chain.service";
import type { Ctx } from "../../src/domain/context";
import { recordIn, unitOfWork, writeIn } from "../../src/domain/unit-of-work";
import { startTestApp, type TestApp } from "../support/app";
import { appendAudits, markAudits, resetAuditLog, sealAudits, tamper } from "../support/audit";
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
  (await t.ds.query("SELECT seq::int, prev_hash, hash FROM audit_seals ORDER BY seq")) as {
    seq: number;
    prev_hash: string;
    hash: string;
  }[];
const unsealed = async () =>
  Number(
    (
      await t.ds.query(
        "SELECT count(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.id = a.id)",
      )
    )[0].count,
  );

describe("the audit hash chain", () => {
  beforeEach(async () => resetAuditLog(t.ds));

  it("chains the records of both write paths (one-statement writes and transactions) into one line from the genesis", async () => {
    const created = await t.scim.post("/Users", buildScimUser()).expect(201);
    await t.scim
      .patch(`/Users/${created.body.id}`, patchOp({ op: "replace", path: "active", value: false }))
      .expect(200);
    await t.token("auditor");
    // Written unchained: nothing has a seal until a sealer runs.
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

  it("ignores an id the writer tries to choose: ids come from the sequence, after the writer's xid", async () => {
    await appendAudits(t.ds, 1);
    const [{ id }] = await t.ds.query(`INSERT INTO audit_events (id, actor_type, door, action, target_type)
                      VALUES (99, 'system', 'system', 'test.forged', 'user') RETURNING id`);
    expect(Number(id)).toBe(2);
    await expect(
      t.ds.query(`INSERT INTO audit_events (id, actor_type, door, action, target_type)
                  VALUES (1, 'system', 'system', 'test.forged', 'user')`),
    ).resolves.toBeDefined();
    expect(await t.ds.query("SELECT id::int FROM audit_events ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await sealAudits(t.ds);
    expect((await links()).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect((await chain.verify()).broken).toBeNull();
  });

  it("refuses UPDATE, DELETE and TRUNCATE of the log, and any direct change to its head", async () => {
    await appendAudits(t.ds, 2);
    await expect(t.ds.query("UPDATE audit_events SET action = 'x'")).rejects.toThrow(
      /UPDATE on audit_events refused: the audit log is append-only/,
    );
    await expect(t.ds.query("DELETE FROM audit_events WHERE id = 1")).rejects.toThrow(/DELETE on audit_events refused/);
    await expect(t.ds.query("DELETE FROM audit_events WHERE false")).rejects.toThrow(/append-only/);
    await expect(t.ds.query("TRUNCATE audit_events")).rejects.toThrow(/TRUNCATE on audit_events refused/);
    await expect(t.ds.query("UPDATE audit_seals SET hash = 'x'")).rejects.toThrow(/UPDATE on audit_seals refused/);
    await expect(t.ds.query("DELETE FROM audit_seals WHERE seq = 1")).rejects.toThrow(/DELETE on audit_seals refused/);
    await expect(t.ds.query("TRUNCATE audit_seals")).rejects.toThrow(/TRUNCATE on audit_seals refused/);
    await expect(t.ds.query("INSERT INTO audit_seals VALUES (3, 3, 'x', 'y')")).rejects.toThrow(
      /INSERT on audit_seals refused/,
    );
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
    await markAudits(t.ds, { ready: true });
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
    await markAudits(t.ds, { ready: true });
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
      "SELECT count(*)::int AS n FROM audit_seals a JOIN audit_seals b ON b.seq = a.seq + 1 WHERE b.id < a.id",
    );
    expect(outOfOrder).toEqual([{ n: 0 }]);
  });

  it("verify catches a seal forged with the marker (a seal of an unsealed record inserted by hand)", async () => {
    await appendAudits(t.ds, 2);
    const [id] = await appendAudits(t.ds, 1, { seal: false });
    await t.ds.transaction(async (m) => {
      await m.query("SELECT set_config('roster.audit_sealing', txid_current()::text, true)");
      await m.query("INSERT INTO audit_seals VALUES ($1, 3, 'forged', repeat('f', 64))", [id]);
      await m.query(
        "UPDATE audit_chain_head SET seq = 3, prev_hash = 'forged', hash = repeat('f', 64), sealed_through = $1",
        [id],
      );
    });
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
    const rows = await t.ds.query(
      "SELECT a.id::int, s.seq::int FROM audit_events a JOIN audit_seals s ON s.id = a.id ORDER BY s.seq",
    );
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
    String((await t.ds.query("SELECT id FROM audit_seals WHERE seq = $1", [seq]))[0].id);
  const recordOf = (seq: number) => `id = (SELECT id FROM audit_seals WHERE seq = ${seq})`;

  it("a record changed after it was written (trigger disabled for the UPDATE)", async () => {
    await tamper(
      t.ds,
      `UPDATE audit_events SET changes = '{"title":{"before":"a","after":"b"}}' WHERE ${recordOf(17)}`,
    );
    const report = await chain.verify({ batchSize: 7 });
    expect(report.broken).toEqual({
      seq: 17,
      id: await idOf(17),
      problem: expect.stringMatching(/content does not match its hash/),
    });
    expect(report.records).toBe(16);
  });

  it("a record changed and re-hashed: the link to the next one breaks", async () => {
    await tamper(t.ds, `UPDATE audit_events SET actor_name = 'someone else' WHERE ${recordOf(9)}`);
    await tamper(
      t.ds,
      "UPDATE audit_seals s SET hash = roster_audit_hash(a, s.seq, s.prev_hash) FROM audit_events a WHERE a.id = s.id AND s.seq = 9",
    );
    const report = await chain.verify();
    expect(report.broken).toEqual({
      seq: 10,
      id: await idOf(10),
      problem: expect.stringMatching(/prev_hash is not record 9's hash/),
    });
  });

  it("a deleted record and its seal", async () => {
    await tamper(t.ds, `DELETE FROM audit_events WHERE ${recordOf(5)}; DELETE FROM audit_seals WHERE seq = 5`);
    expect((await chain.verify({ batchSize: 4 })).broken).toEqual({
      seq: 6,
      id: await idOf(6),
      problem: "record 5 is missing before it (deleted?)",
    });
  });

  it("a deleted record whose seal is kept", async () => {
    const id = await idOf(5);
    await tamper(t.ds, `DELETE FROM audit_events WHERE ${recordOf(5)}`);
    expect((await chain.verify({ batchSize: 4 })).broken).toEqual({
      seq: 5,
      id,
      problem: `its record (id ${id}) is missing (deleted?)`,
    });
  });

  it("deleted seals at the end with the head rewound: the records left without a seal", async () => {
    const id = await idOf(28);
    await t.ds.transaction(async (m) => {
      await m.query("ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_insert_only");
      await m.query("ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_guard");
      await m.query("DELETE FROM audit_seals WHERE seq > 27");
      await m.query(
        "UPDATE audit_chain_head h SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash FROM audit_seals s WHERE s.seq = 27",
      );
      await m.query("ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_guard");
      await m.query("ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_insert_only");
    });
    expect((await chain.verify()).broken).toEqual({
      seq: null,
      id,
      problem: expect.stringMatching(/has no seal, though every record up to id \d+ was sealed/),
    });
  });

  it("deleted records at the end (the head still knows where the chain ends)", async () => {
    await tamper(
      t.ds,
      "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_seals WHERE seq > 27); DELETE FROM audit_seals WHERE seq > 27",
    );
    expect((await chain.verify()).broken).toEqual({
      seq: 28,
      id: null,
      problem: expect.stringMatching(/^records 28\.\.30 are missing/),
    });
  });

  it("two records swapped in the order", async () => {
    await tamper(
      t.ds,
      "UPDATE audit_seals SET seq = CASE seq WHEN 12 THEN -1 WHEN 13 THEN 12 END WHERE seq IN (12, 13)",
    );
    await tamper(t.ds, "UPDATE audit_seals SET seq = 13 WHERE seq = -1");
    const report = await chain.verify();
    expect(report.broken).toMatchObject({ seq: 12, problem: expect.stringMatching(/content does not match its hash/) });
  });

  it("a chain rewritten from one record on passes the hash checks, and only an anchor taken earlier catches it", async () => {
    const anchor = (await chain.head())!;
    const anchoredBefore = {
      seq: 20,
      hash: (await t.ds.query("SELECT hash FROM audit_seals WHERE seq = 20"))[0].hash as string,
    };
    // Someone with DDL rights rewrites record 15 and recomputes every hash after it, and the head.
    await tamper(t.ds, `UPDATE audit_events SET actor_name = 'rewritten' WHERE ${recordOf(15)}`);
    await t.ds.transaction(async (m) => {
      await m.query("ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_insert_only");
      await m.query("ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_guard");
      await m.query(`DO $$ DECLARE sq bigint; prev text;
        BEGIN
          SELECT hash INTO prev FROM audit_seals WHERE seq = 14;
          FOR sq IN SELECT seq FROM audit_seals WHERE seq >= 15 ORDER BY seq LOOP
            UPDATE audit_seals s SET prev_hash = prev, hash = roster_audit_hash(a, sq, prev)
            FROM audit_events a WHERE a.id = s.id AND s.seq = sq;
            SELECT hash INTO prev FROM audit_seals WHERE seq = sq;
          END LOOP;
          UPDATE audit_chain_head SET hash = prev;
        END $$`);
      await m.query("ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_guard");
      await m.query("ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_insert_only");
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
