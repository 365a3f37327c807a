import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An import can be `staged` (decision 0147): its file kept as rows, nothing applied, until the admin has chosen the
 * mapping and starts a dry run or the run from it (a new import reading the same rows). The workers never claim it:
 * they take only queued and running imports.
 */
export class ImportsStaged1764000000210 implements MigrationInterface {
  name = "ImportsStaged1764000000210";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP CONSTRAINT imports_status_check`);
    await q.query(`ALTER TABLE imports ADD CONSTRAINT imports_status_check
                   CHECK (status IN ('receiving', 'staged', 'queued', 'running', 'succeeded', 'failed', 'cancelled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE imports SET status = 'cancelled', finished_at = now() WHERE status = 'staged'`);
    await q.query(`ALTER TABLE imports DROP CONSTRAINT imports_status_check`);
    await q.query(`ALTER TABLE imports ADD CONSTRAINT imports_status_check
                   CHECK (status IN ('receiving', 'queued', 'running', 'succeeded', 'failed', 'cancelled'))`);
  }
}
