import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { ForbiddenError } from "../errors";
import { scopeOf } from "../scope";
import { withDb } from "../unit-of-work";
import { AuditSealer } from "./audit-sealer";

/** prev_hash of the first record: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The first record where the chain does not hold, and what is wrong with it. */
export interface ChainBreak {
  /** The seq where the chain breaks; null when the break is a record left out of it (no seal, below the sealed mark). */
  seq: number | null;
  /** The record's id; null when the break is a record missing at the end of the chain. */
  id: string | null;
  problem: string;
}

export interface ChainReport {
  /** Records checked (every record up to the head read when the check began). */
  records: number;
  head: ChainHead;
  broken: ChainBreak | null;
  /** Records the check sealed before it began (committed but not yet chained). */
  sealed: number;
  /** Records still unsealed when it ended (committed meanwhile, or everything pending with `seal: false`). */
  pending: number;
}

export interface VerifyOptions {
  batchSize?: number;
  /** A head printed earlier (seq and hash): the record with that seq must still carry that hash. */
  anchor?: ChainHead;
  /** Seal pending records first (default), so the check covers every record committed before it. */
  seal?: boolean;
}

interface LinkRow {
  seq: string;
  id: string;
  prevHash: string;
  hash: string;
  expected: string;
  /** The seal's record is not in audit_events. */
  orphan: boolean;
}

/**
 * Checks the audit hash chain from the first seal to the head, in keyset batches (memory stays flat at any size): the
 * seals (`audit_seals`) by seq, each joined to its record. Each seal must follow the one before without a gap, carry
 * that one's hash as prev_hash, have its record, and match the hash of that record's content; the last must be the
 * head. Every record with an id up to the head's sealed_through must have a seal. The hash is recomputed in SQL by the
 * same function the sealer uses.
 */
export class AuditChainService {
  private readonly sealer: AuditSealer;

  constructor(private readonly ds: DataSource) {
    this.sealer = new AuditSealer(ds);
  }

  async head(): Promise<ChainHead | null> {
    const head = await this.sealedHead();
    return head ? { seq: head.seq, hash: head.hash } : null;
  }

  private async sealedHead(): Promise<(ChainHead & { sealedThrough: string }) | null> {
    const rows: { seq: string; hash: string; sealedThrough: string }[] = await withDb(() =>
      this.ds.query(`SELECT seq, hash, sealed_through AS "sealedThrough" FROM audit_chain_head`),
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash, sealedThrough: rows[0].sealedThrough } : null;
  }

  async verify(opts: VerifyOptions = {}): Promise<ChainReport> {
    const sealed = opts.seal === false ? 0 : await this.sealer.sealPending();
    const report = await this.check(opts);
    return { ...report, sealed, pending: await this.sealer.pendingCount() };
  }

  /**
   * The check as a reader asks for it (the console): the chain spans every record of every entity, so only a reader of
   * the whole organisation runs it (an actor limited to some entities is refused).
   */
  verifyFor(ctx: Ctx): Promise<ChainReport> {
    if (scopeOf(ctx) !== null)
      throw new ForbiddenError(
        "the audit chain spans the whole organisation: an admin or auditor of all of it verifies it",
      );
    return this.verify();
  }

  private async check(opts: VerifyOptions): Promise<Omit<ChainReport, "sealed" | "pending">> {
    const batchSize = opts.batchSize ?? 5000;
    const sealedHead = await this.sealedHead();
    if (!sealedHead)
      return {
        records: 0,
        head: { seq: 0, hash: GENESIS_HASH },
        broken: { seq: 1, id: null, problem: "the chain head (audit_chain_head) is missing" },
      };
    const head = { seq: sealedHead.seq, hash: sealedHead.hash };
    let last = { seq: 0, hash: GENESIS_HASH };
    let records = 0;
    let anchorSeen = false;
    for (;;) {
      const rows: LinkRow[] = await withDb(() =>
        this.ds.query(
          `SELECT s.seq, s.id, s.prev_hash AS "prevHash", s.hash, roster_audit_hash(a, s.seq, s.prev_hash) AS expected,
                  a.id IS NULL AS orphan
           FROM audit_seals s LEFT JOIN audit_events a ON a.id = s.id
           WHERE s.seq > $1 AND s.seq <= $2 ORDER BY s.seq LIMIT $3`,
          [last.seq, head.seq, batchSize],
        ),
      );
      for (const row of rows) {
        const broken = checkLink(row, last);
        if (broken) return { records, head, broken };
        if (opts.anchor && Number(row.seq) === opts.anchor.seq) {
          anchorSeen = true;
          if (row.hash !== opts.anchor.hash)
            return {
              records,
              head,
              broken: {
                seq: opts.anchor.seq,
                id: row.id,
                problem: `its hash ${row.hash} is not the anchored ${opts.anchor.hash} (the chain was rewritten from here on)`,
              },
            };
        }
        last = { seq: Number(row.seq), hash: row.hash };
        records++;
      }
      if (rows.length < batchSize) break;
    }
    if (last.seq !== head.seq) {
      const problem = `records ${last.seq + 1}..${head.seq} are missing: the head says the chain ends at seq ${head.seq}, the last record is seq ${last.seq}`;
      return { records, head, broken: { seq: last.seq + 1, id: null, problem } };
    }
    if (last.hash !== head.hash)
      return {
        records,
        head,
        broken: {
          seq: last.seq,
          id: null,
          problem: `the head's hash ${head.hash} is not the last record's ${last.hash}`,
        },
      };
    const unsealed = await this.firstUnsealed(sealedHead.sealedThrough);
    if (unsealed !== null) {
      const problem = `record id ${unsealed} has no seal, though every record up to id ${sealedHead.sealedThrough} was sealed (inserted behind the sealer, or its seal deleted)`;
      return { records, head, broken: { seq: null, id: unsealed, problem } };
    }
    if (opts.anchor && !anchorSeen)
      return {
        records,
        head,
        broken: {
          seq: opts.anchor.seq,
          id: null,
          problem: `the anchored record seq ${opts.anchor.seq} is not in the chain (the chain ends at seq ${head.seq})`,
        },
      };
    return { records, head, broken: null };
  }

  /** The first record at or below `through` without a seal, if any (one anti-join over the log). */
  private async firstUnsealed(through: string): Promise<string | null> {
    const rows: { id: string }[] = await withDb(() =>
      this.ds.query(
        `SELECT a.id FROM audit_events a WHERE a.id <= $1
           AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.id = a.id) ORDER BY a.id LIMIT 1`,
        [through],
      ),
    );
    return rows[0]?.id ?? null;
  }
}

function checkLink(row: LinkRow, prev: ChainHead): ChainBreak | null {
  const seq = Number(row.seq);
  const at = (problem: string): ChainBreak => ({ seq, id: row.id, problem });
  if (seq !== prev.seq + 1) {
    const gap = seq - 1 === prev.seq + 1 ? `record ${prev.seq + 1} is` : `records ${prev.seq + 1}..${seq - 1} are`;
    return at(`${gap} missing before it (deleted?)`);
  }
  if (row.orphan) return at(`its record (id ${row.id}) is missing (deleted?)`);
  if (row.hash !== row.expected) return at("its content does not match its hash (changed after it was written)");
  if (row.prevHash !== prev.hash) {
    const before = prev.seq === 0 ? "the chain's start" : `record ${prev.seq}'s hash`;
    return at(
      `its prev_hash is not ${before} (a record before it was replaced and re-hashed, or records were re-ordered)`,
    );
  }
  return null;
}
