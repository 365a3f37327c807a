import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * api_tokens.last_used_at (decision 0149): when a token last opened a door, stamped at most once a minute per token
 * and process, so the console's token list can show which tokens are still in use before one is revoked.
 */
export class TokenLastUse1764000000230 implements MigrationInterface {
  name = "TokenLastUse1764000000230";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN last_used_at`);
  }
}
