import type { DataSource } from "typeorm";
import { withDb } from "../unit-of-work";

/** Records chained per call of roster_audit_seal: one short transaction each. */
export const SEAL_BATCH = 5000;

/** The pause between two tries while a transaction older than the seal mark is still running. */
const WAIT_STEP_MS = 5;

/** How long sealPending waits for older transactions: the pool's statement timeout (DB_STATEMENT_TIMEOUT_MS), or 5 s. */
function defaultWaitBoundMs(ds: DataSource): number {
  const extra = (ds.options as { extra?: { statement_timeout?: number } }).extra;
  return extra?.statement_timeout && extra.statement_timeout > 0 ? extra.statement_timeout : 5000;
}

/**
 * Chains committed audit records after the fact (migrations/1764000000250-audit-seals-insert-only.ts, decision 0152):
 * writers insert records and never wait for the chain; one sealer at a time, under the head row's lock, INSERTs their
 * seals (seq, prev_hash, hash) into `audit_seals` in id order, behind a commit watermark: the head's mark (an id and
 * an xid) is sealed through once every transaction that could hold an id under it has ended. Each call is its own
 * READ COMMITTED transaction (autocommit on the pool).
 */
export class AuditSealer {
  private readonly waitBoundMs: number;

  /** `waitBoundMs`: how long sealPending waits for older transactions (default: the pool's statement timeout). */
  constructor(
    private readonly ds: DataSource,
    waitBoundMs?: number,
  ) {
    this.waitBoundMs = waitBoundMs ?? defaultWaitBoundMs(ds);
  }

  /**
   * Seals up to `max` records. Returns how many, or null when another sealer holds the head (only without `wait`;
   * with it, this waits for that sealer to commit and then seals what it left).
   */
  async sealBatch(max = SEAL_BATCH, wait = false): Promise<number | null> {
    const rows: { sealed: number | null }[] = await withDb(() =>
      this.ds.query(`SELECT roster_audit_seal($1, $2) AS sealed`, [max, wait]),
    );
    return rows[0].sealed;
  }

  /**
   * Seals every record committed before this call, so a read that follows sees them all (in id order, seq gap-free):
   * every id handed out before the call (the sequence's value read first) is sealed or was never committed. While a
   * transaction older than the seal mark still runs (it may hold such an id), this tries again every few ms; after the
   * bound (DB_STATEMENT_TIMEOUT_MS) it gives up, and the read that follows sees what is sealed so far.
   */
  async sealPending(batch = SEAL_BATCH): Promise<number> {
    const target = await this.lastIdHandedOut();
    const giveUpAt = Date.now() + this.waitBoundMs;
    let total = 0;
    // One read of the head per round: a full batch goes straight on, an empty one waits a step first.
    for (;;) {
      if ((await this.sealedThrough()) >= target || Date.now() >= giveUpAt) return total;
      const n = (await this.sealBatch(batch, true)) ?? 0;
      total += n;
      if (n === 0) await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
  }

  /** Committed records not sealed yet (and records of transactions still running: they are not visible here). */
  async pendingCount(): Promise<number> {
    const rows: { n: string }[] = await withDb(() =>
      this.ds.query(`SELECT count(*) AS n FROM audit_events WHERE id > (SELECT sealed_through FROM audit_chain_head)`),
    );
    return Number(rows[0].n);
  }

  /** Every id at or below this is sealed, or belongs to no committed record. */
  async sealedThrough(): Promise<number> {
    const rows: { through: string }[] = await withDb(() =>
      this.ds.query(`SELECT sealed_through AS through FROM audit_chain_head`),
    );
    return Number(rows[0]?.through ?? 0);
  }

  private async lastIdHandedOut(): Promise<number> {
    const rows: { last: string }[] = await withDb(() =>
      this.ds.query(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS last FROM audit_events_id_seq`),
    );
    return Number(rows[0].last);
  }
}
