import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Background jobs of the admin door (mass actions on users). The selection is resolved to user ids when the job is
 * created (one item row each, in order), so the result does not depend on when the job runs; each item gets its
 * outcome in the same transaction as the change it records, so a job interrupted by a crash resumes where it stopped
 * and never applies an action twice. Items carry no foreign key: ids an admin typed may name nobody (`not_found`).
 */
export class AdminJobs1764000000007 implements MigrationInterface {
  name = "AdminJobs1764000000007";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_jobs (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind         text NOT NULL CHECK (kind IN ('users.action')),
        action       text NOT NULL,
        status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')),
        total        integer NOT NULL DEFAULT 0,
        selection    jsonb NOT NULL DEFAULT '{}',
        -- Who asked, through which request, and the entity scope they had then (null = the whole organisation).
        actor_type   text NOT NULL,
        actor_id     text,
        actor_name   text,
        request_id   text,
        entity_scope uuid[],
        created_at   timestamptz NOT NULL DEFAULT now(),
        started_at   timestamptz,
        finished_at  timestamptz
      )`);
    await q.query(`CREATE INDEX admin_jobs_active_idx ON admin_jobs (created_at, id) WHERE status <> 'done'`);
    await q.query(`
      CREATE TABLE admin_job_items (
        job_id       uuid NOT NULL REFERENCES admin_jobs (id) ON DELETE CASCADE,
        seq          integer NOT NULL,
        user_id      uuid NOT NULL,
        outcome      text CHECK (outcome IN ('done', 'skipped', 'failed', 'not_found')),
        reason       text,
        processed_at timestamptz,
        PRIMARY KEY (job_id, seq)
      )`);
    await q.query(`CREATE INDEX admin_job_items_pending_idx ON admin_job_items (job_id, seq) WHERE outcome IS NULL`);
    await q.query(`CREATE INDEX admin_job_items_outcome_idx ON admin_job_items (job_id, outcome, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_job_items`);
    await q.query(`DROP TABLE admin_jobs`);
  }
}
