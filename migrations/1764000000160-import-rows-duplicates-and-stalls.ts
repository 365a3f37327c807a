import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Imports without statements that grow with the file (decision 0141). Duplicates are marked as each chunk of 1,000 rows
 * arrives, each row looking up the earlier rows of its email (import_rows_email_idx) and of its userName (this index):
 * one statement over the whole file took seconds at 1,000,000 rows, past DB_STATEMENT_TIMEOUT_MS (a 503 to the upload).
 * `received_at` is when the file's last chunk arrived: an upload whose process died stays `receiving` no longer than
 * the worker's sweep lets it (it is failed, with its reason).
 */
export class ImportRowsDuplicatesAndStalls1764000000160 implements MigrationInterface {
  name = "ImportRowsDuplicatesAndStalls1764000000160";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX import_rows_user_name_idx ON import_rows (import_id, user_name_key) WHERE user_name_key IS NOT NULL`,
    );
    await q.query(`ALTER TABLE imports ADD COLUMN received_at timestamptz`);
    // Pruning finds the imports finished before the retention window without reading the others.
    await q.query(`CREATE INDEX imports_finished_idx ON imports (finished_at) WHERE finished_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX imports_finished_idx`);
    await q.query(`ALTER TABLE imports DROP COLUMN received_at`);
    await q.query(`DROP INDEX import_rows_user_name_idx`);
  }
}
