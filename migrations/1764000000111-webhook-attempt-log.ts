import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each webhook delivery keeps its attempts (the last 20: number, time, status, duration, error, response excerpt), so
 * `GET /admin/v1/webhooks/{id}/deliveries` shows every attempt, not only the last (decision 0122). A constant default:
 * adding the column rewrites nothing.
 */
export class WebhookAttemptLog1764000000111 implements MigrationInterface {
  name = "WebhookAttemptLog1764000000111";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN attempt_log jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN attempt_log`);
  }
}
