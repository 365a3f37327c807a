import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Actor, Door } from "../context";
import { usersWhere } from "../users/users.fragments";
import type { SqlWhere } from "../users/users.repository";
import type { ItemOutcome, ItemResult, JobCounts, JobItem, JobKind, JobRow } from "./job";

const JOB = `j.id, j.kind, j.action, j.status, j.total, j.selection, j.actor_type AS "actorType", j.actor_id AS "actorId",
  j.actor_name AS "actorName", j.request_id AS "requestId", j.door, j.entity_scope AS "entityScope", j.created_at AS "createdAt",
  j.started_at AS "startedAt", j.finished_at AS "finishedAt"`;
const ITEM = `seq, user_id AS "userId", outcome, reason, processed_at AS "processedAt"`;

export interface NewJob {
  kind: JobKind;
  action: string;
  selection: Record<string, unknown>;
  actor: Actor;
  requestId: string | null;
  door: Door;
  entityScope: readonly string[] | null;
}

/** Data access for admin_jobs and admin_job_items: SQL only, no rules. */
export class JobsRepository {
  async insert(m: EntityManager, j: NewJob): Promise<string> {
    const [row] = await sql<{ id: string }>(
      m,
      `INSERT INTO admin_jobs (kind, action, selection, actor_type, actor_id, actor_name, request_id, entity_scope, door)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8::uuid[], $9) RETURNING id`,
      [
        j.kind,
        j.action,
        JSON.stringify(j.selection),
        j.actor.type,
        j.actor.id,
        j.actor.name,
        j.requestId,
        j.entityScope ? [...j.entityScope] : null,
        j.door,
      ],
    );
    return row.id;
  }

  /** One item per id, in the order given; returns how many. */
  async addItems(m: EntityManager, jobId: string, ids: string[]): Promise<number> {
    const [{ n }] = await sql<{ n: number }>(
      m,
      `WITH i AS (INSERT INTO admin_job_items (job_id, seq, user_id)
                  SELECT $1, t.ord, t.id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord) RETURNING 1)
       SELECT count(*)::int AS n FROM i`,
      [jobId, ids],
    );
    return n;
  }

  /** One item per user `where` selects (its parameters numbered from $2), in id order: a snapshot taken in SQL. */
  async addItemsWhere(m: EntityManager, jobId: string, where: SqlWhere): Promise<number> {
    const [{ n }] = (await m.query(
      `WITH i AS (INSERT INTO admin_job_items (job_id, seq, user_id)
                  SELECT $1, row_number() OVER (ORDER BY u.id), u.id FROM ${usersWhere(where.sql)} RETURNING 1)
       SELECT count(*)::int AS n FROM i`,
      [jobId, ...where.params],
    )) as { n: number }[];
    return n;
  }

  async setTotal(m: EntityManager, jobId: string, total: number): Promise<void> {
    await sql(m, `UPDATE admin_jobs SET total = $2 WHERE id = $1`, [jobId, total]);
  }

  async find(m: EntityManager, id: string): Promise<JobRow | null> {
    const rows = await sql<JobRow>(m, `SELECT ${JOB} FROM admin_jobs j WHERE j.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async counts(m: EntityManager, id: string): Promise<JobCounts> {
    const [c] = await sql<JobCounts>(
      m,
      `SELECT count(*) FILTER (WHERE outcome = 'done')::int AS done, count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped,
              count(*) FILTER (WHERE outcome = 'failed')::int AS failed, count(*) FILTER (WHERE outcome = 'not_found')::int AS "notFound",
              count(*) FILTER (WHERE outcome IS NULL)::int AS pending
       FROM admin_job_items WHERE job_id = $1`,
      [id],
    );
    return c;
  }

  /** Items after `afterSeq`, in order; `outcome` null lists all, "pending" those not done yet. */
  async items(
    m: EntityManager,
    id: string,
    outcome: ItemOutcome | "pending" | null,
    afterSeq: number,
    limit: number,
  ): Promise<JobItem[]> {
    const where = outcome === null ? "" : outcome === "pending" ? "AND outcome IS NULL" : "AND outcome = $4";
    const values = [id, afterSeq, limit, ...(outcome && outcome !== "pending" ? [outcome] : [])];
    return sql<JobItem>(
      m,
      `SELECT ${ITEM} FROM admin_job_items WHERE job_id = $1 AND seq > $2 ${where} ORDER BY seq LIMIT $3`,
      values,
    );
  }

  /** The newest jobs, those `actor` asked for when given (an admin limited to some entities sees only theirs). */
  async recent(m: EntityManager, actor: Actor | null, limit: number): Promise<JobRow[]> {
    const mine = actor ? "WHERE j.actor_type = $2 AND j.actor_id IS NOT DISTINCT FROM $3" : "";
    return sql<JobRow>(
      m,
      `SELECT ${JOB} FROM admin_jobs j ${mine} ORDER BY j.created_at DESC, j.id DESC LIMIT $1`,
      actor ? [limit, actor.type, actor.id] : [limit],
    );
  }

  /** Jobs with work left, oldest first. */
  async active(m: EntityManager, limit: number): Promise<JobRow[]> {
    return sql<JobRow>(
      m,
      `SELECT ${JOB} FROM admin_jobs j WHERE j.status <> 'done' ORDER BY j.created_at, j.id LIMIT $1`,
      [limit],
    );
  }

  async markRunning(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE admin_jobs SET status = 'running', started_at = clock_timestamp() WHERE id = $1 AND status = 'queued'`,
      [id],
    );
  }

  /**
   * Locks the next pending item of a job until the caller's transaction ends; items other runners hold are skipped
   * (several processes can work on one job). A runner that dies releases its item with its connection.
   */
  async claim(m: EntityManager, jobId: string, limit = 1): Promise<{ seq: number; userId: string }[]> {
    return sql<{ seq: number; userId: string }>(
      m,
      `SELECT seq, user_id AS "userId" FROM admin_job_items WHERE job_id = $1 AND outcome IS NULL
       ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [jobId, limit],
    );
  }

  /** Locks one pending item by its seq (waiting for a runner that holds it); none when it is done already. */
  async claimSeq(m: EntityManager, jobId: string, seq: number): Promise<{ seq: number; userId: string }[]> {
    return sql<{ seq: number; userId: string }>(
      m,
      `SELECT seq, user_id AS "userId" FROM admin_job_items WHERE job_id = $1 AND seq = $2 AND outcome IS NULL FOR UPDATE`,
      [jobId, seq],
    );
  }

  async record(m: EntityManager, jobId: string, seq: number, r: ItemResult): Promise<void> {
    await sql(
      m,
      `UPDATE admin_job_items SET outcome = $3, reason = $4, processed_at = clock_timestamp() WHERE job_id = $1 AND seq = $2`,
      [jobId, seq, r.outcome, r.reason ?? null],
    );
  }

  /** Records a failure unless someone recorded an outcome meanwhile. */
  async recordFailure(m: EntityManager, jobId: string, seq: number, reason: string): Promise<void> {
    await sql(
      m,
      `UPDATE admin_job_items SET outcome = 'failed', reason = $3, processed_at = clock_timestamp()
                  WHERE job_id = $1 AND seq = $2 AND outcome IS NULL`,
      [jobId, seq, reason],
    );
  }

  /** Marks the job done when no item is pending; an item another runner holds still counts as pending. */
  async finishIfComplete(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE admin_jobs SET status = 'done', finished_at = clock_timestamp(), started_at = coalesce(started_at, clock_timestamp())
                  WHERE id = $1 AND status <> 'done' AND NOT EXISTS (SELECT 1 FROM admin_job_items WHERE job_id = $1 AND outcome IS NULL)`,
      [id],
    );
  }
}
