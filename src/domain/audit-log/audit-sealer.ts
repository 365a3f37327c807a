import type { DataSource } from "typeorm";
import { withDb } from "../unit-of-work";

/** Records chained per call of roster_audit_seal: one short transaction each. */
export const SEAL_BATCH = 5000;

/**
 * Chains committed audit records after the fact (migrations/1764000000011-audit-seal-after-commit.ts): writers insert
 * them unchained and never wait for the chain; one sealer at a time, under the head row's lock, gives them seq,
 * prev_hash and hash in id order. Each call is its own READ COMMITTED transaction (autocommit on the pool).
 */
export class AuditSealer {
  constructor(private readonly ds: DataSource) {}

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
   * Seals every record committed before this call, so a read that follows sees them all (in seq order, gap-free).
   * When none is unsealed in this snapshot there is nothing to do and no lock is taken: records a running sealer is
   * chaining still look unsealed here until it commits, and then the wait below covers them.
   */
  async sealPending(batch = SEAL_BATCH): Promise<number> {
    const [{ pending }]: { pending: boolean }[] = await withDb(() =>
      this.ds.query(`SELECT EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL) AS pending`),
    );
    if (!pending) return 0;
    let total = 0;
    for (;;) {
      const n = (await this.sealBatch(batch, true)) ?? 0;
      total += n;
      if (n < batch) return total;
    }
  }

  /** Committed records not sealed yet. */
  async pendingCount(): Promise<number> {
    const rows: { n: string }[] = await withDb(() =>
      this.ds.query(`SELECT count(*) AS n FROM audit_events WHERE seq IS NULL`),
    );
    return Number(rows[0].n);
  }
}
