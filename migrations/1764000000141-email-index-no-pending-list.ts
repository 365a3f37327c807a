import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The addresses' GIN index without its pending list (decision 0129). With fastupdate on (PostgreSQL's default) new
 * entries wait in an unsorted list of up to gin_pending_list_limit (4 MB) that every lookup reads through: while people
 * are written in bulk (an import) each email lookup grew to milliseconds, one 500-address lookup to 160 ms. Off, each
 * insert files its few addresses in the index itself, and lookups stay index probes.
 */
export class EmailIndexNoPendingList1764000000141 implements MigrationInterface {
  name = "EmailIndexNoPendingList1764000000141";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX users_email_values_idx SET (fastupdate = off)`);
    // Entries already pending are filed now, not left for the next vacuum.
    await q.query(`SELECT gin_clean_pending_list('users_email_values_idx'::regclass)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX users_email_values_idx RESET (fastupdate)`);
  }
}
