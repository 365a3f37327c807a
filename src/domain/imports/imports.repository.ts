import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Ctx } from "../context";
import { liveUser, usersWhere } from "../users/users.fragments";
import type { ImportField, ImportOptions, ImportStatus, ImportView, RowResult } from "./import";

/** An import as stored (the view the doors present, plus what the worker needs). */
export interface ImportRecord extends ImportView {
  entityScope: string[] | null;
  cancelRequested: boolean;
  mappingFields: (ImportField | null)[];
  confirm: boolean;
}

export interface ClaimedRow {
  n: number;
  line: number;
  cells: string[];
}

export interface RowOutcome {
  n: number;
  result: RowResult;
  reason: string | null;
  userId: string | null;
}

/** A person (`users u`) no row of import $1 names: neither by one of their emails nor as the person a row matched. */
const ABSENT = `NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = $1 AND r.email_key = ANY(roster_lower_values(u.emails)))
  AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = $1 AND r.user_id = u.id)`;

const SELECT = `SELECT id, status, mode, dry_run AS "dryRun", file_name AS "fileName", format, options, mapping, ignored,
  total, done, created, updated, unchanged, skipped, failed, deactivated, error, cancel_requested AS "cancelRequested",
  actor_type, actor_id, actor_name, entity_scope AS "entityScope", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt" FROM imports`;

interface Stored {
  id: string;
  status: ImportStatus;
  mode: ImportView["mode"];
  dryRun: boolean;
  fileName: string | null;
  format: "csv" | "xlsx";
  options: ImportOptions & { fields: (ImportField | null)[] };
  mapping: Record<string, ImportField>;
  ignored: string[];
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deactivated: number;
  error: string | null;
  cancelRequested: boolean;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  entityScope: string[] | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function toRecord(r: Stored): ImportRecord {
  const { mapping: _m, fields, mode: _mode, dryRun: _d, confirm, ...options } = r.options;
  const { total, created, updated, unchanged, skipped, failed } = r;
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    dryRun: r.dryRun,
    fileName: r.fileName,
    format: r.format,
    options: { ...options, confirm },
    mapping: r.mapping,
    ignoredColumns: r.ignored,
    counts: { total, created, updated, unchanged, skipped, failed },
    deactivated: r.deactivated,
    progress: { done: r.done, total, percent: total === 0 ? 0 : Math.floor((r.done * 100) / total) },
    error: r.error,
    startedBy: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    entityScope: r.entityScope,
    cancelRequested: r.cancelRequested,
    mappingFields: fields ?? [],
    confirm,
  };
}

/** SQL over `imports` and `import_rows`. */
export class ImportsRepository {
  async insert(m: EntityManager, id: string, ctx: Ctx, o: ImportOptions, fileName: string | null, format: string) {
    await sql(
      m,
      `INSERT INTO imports (id, status, mode, dry_run, options, file_name, format, actor_type, actor_id, actor_name, entity_scope)
       VALUES ($1, 'receiving', $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        o.mode,
        o.dryRun,
        JSON.stringify(o),
        fileName,
        format,
        ctx.actor.type,
        ctx.actor.id,
        ctx.actor.name,
        ctx.entityScope ?? null,
      ],
    );
  }

  async setColumns(m: EntityManager, id: string, columns: string[], o: object, used: object, ignored: string[]) {
    await sql(m, `UPDATE imports SET columns = $2, options = $3, mapping = $4, ignored = $5 WHERE id = $1`, [
      id,
      JSON.stringify(columns),
      JSON.stringify(o),
      JSON.stringify(used),
      JSON.stringify(ignored),
    ]);
  }

  /** A chunk of rows as read, in one statement. */
  async insertRows(
    m: EntityManager,
    id: string,
    rows: { n: number; line: number; cells: string[]; email: string | null; userName: string | null }[],
  ): Promise<void> {
    await sql(
      m,
      `INSERT INTO import_rows (import_id, n, line, cells, email_key, user_name_key)
       SELECT $1, r.n, r.line, r.cells, r.email, r.user_name
       FROM unnest($2::int[], $3::int[], $4::jsonb[], $5::text[], $6::text[]) AS r(n, line, cells, email, user_name)`,
      [
        id,
        rows.map((r) => r.n),
        rows.map((r) => r.line),
        rows.map((r) => JSON.stringify(r.cells)),
        rows.map((r) => r.email),
        rows.map((r) => r.userName),
      ],
    );
  }

  /** Rows repeating an earlier row's email or userName are reported as duplicates, never applied: one statement. */
  async markDuplicates(m: EntityManager, id: string): Promise<number> {
    const rows = await sql<{ n: number }>(
      m,
      `WITH firsts AS (
         SELECT n, min(n) OVER (PARTITION BY email_key) AS by_email,
                CASE WHEN user_name_key IS NULL THEN n ELSE min(n) OVER (PARTITION BY user_name_key) END AS by_name
         FROM import_rows WHERE import_id = $1 AND email_key IS NOT NULL)
       UPDATE import_rows r SET result = 'duplicate',
         reason = 'the same ' || CASE WHEN f.by_email < r.n THEN 'email' ELSE 'userName' END || ' as line ' ||
                  (SELECT line FROM import_rows p WHERE p.import_id = $1 AND p.n = least(f.by_email, f.by_name))
       FROM firsts f WHERE r.import_id = $1 AND r.n = f.n AND least(f.by_email, f.by_name) < f.n
       RETURNING r.n`,
      [id],
    );
    return rows.length;
  }

  async queue(m: EntityManager, id: string, total: number, duplicates: number): Promise<void> {
    await sql(
      m,
      `UPDATE imports SET status = 'queued', total = $2, done = $3, skipped = $3 WHERE id = $1 AND status = 'receiving'`,
      [id, total, duplicates],
    );
  }

  async fail(m: EntityManager, id: string, error: string): Promise<void> {
    await sql(
      m,
      `UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('receiving', 'queued', 'running')`,
      [id, error],
    );
  }

  async find(m: EntityManager, id: string): Promise<ImportRecord | null> {
    const rows = await sql<Stored>(m, `${SELECT} WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Newest first, a keyset page after (created_at, id). */
  async list(m: EntityManager, limit: number, after: { at: Date; id: string } | null): Promise<ImportRecord[]> {
    const rows = await sql<Stored>(
      m,
      `${SELECT} WHERE ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit, after?.at ?? null, after?.id ?? null],
    );
    return rows.map(toRecord);
  }

  /** The oldest import with work left (queued or running), for a worker. */
  async nextOpen(m: EntityManager, only: string | null = null): Promise<ImportRecord | null> {
    // With `only`: that import, if it has work left (the CLI works its own).
    const rows = await sql<Stored>(
      m,
      `${SELECT} WHERE status IN ('queued', 'running') AND ($1::uuid IS NULL OR id = $1) ORDER BY created_at LIMIT 1`,
      [only],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async start(m: EntityManager, id: string): Promise<boolean> {
    const rows = await sql(
      m,
      `UPDATE imports SET status = 'running', started_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  async requestCancel(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE imports SET cancel_requested = true WHERE id = $1 AND status IN ('receiving', 'queued', 'running')`,
      [id],
    );
  }

  async finish(m: EntityManager, id: string, status: "succeeded" | "cancelled"): Promise<boolean> {
    const rows = await sql(
      m,
      `UPDATE imports SET status = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id, status],
    );
    return rows.length > 0;
  }

  /** Up to `limit` rows still to do, in file order, locked for the caller's transaction (another worker skips them). */
  async claim(m: EntityManager, id: string, limit: number): Promise<ClaimedRow[]> {
    return sql<ClaimedRow>(
      m,
      `SELECT n, line, cells FROM import_rows WHERE import_id = $1 AND result IS NULL ORDER BY n LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [id, limit],
    );
  }

  /** Whether any row is still to do (claimed by a batch in flight, or not yet). */
  async hasRowsLeft(m: EntityManager, id: string): Promise<boolean> {
    const rows = await sql(m, `SELECT 1 FROM import_rows WHERE import_id = $1 AND result IS NULL LIMIT 1`, [id]);
    return rows.length > 0;
  }

  /** A batch's outcomes and the import's counts, in two statements. */
  async record(m: EntityManager, id: string, outcomes: RowOutcome[]): Promise<void> {
    await sql(
      m,
      `UPDATE import_rows r SET result = o.result, reason = o.reason, user_id = o.user_id
       FROM unnest($2::int[], $3::text[], $4::text[], $5::uuid[]) AS o(n, result, reason, user_id)
       WHERE r.import_id = $1 AND r.n = o.n`,
      [
        id,
        outcomes.map((o) => o.n),
        outcomes.map((o) => o.result),
        outcomes.map((o) => o.reason),
        outcomes.map((o) => o.userId),
      ],
    );
    const count = (r: RowResult) => outcomes.filter((o) => o.result === r).length;
    await sql(
      m,
      `UPDATE imports SET done = done + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5,
         skipped = skipped + $6, failed = failed + $7 WHERE id = $1`,
      [id, outcomes.length, count("created"), count("updated"), count("unchanged"), count("skipped"), count("failed")],
    );
  }

  async addDeactivated(m: EntityManager, id: string, n: number): Promise<void> {
    await sql(m, `UPDATE imports SET deactivated = deactivated + $2 WHERE id = $1`, [id, n]);
  }

  /** Active people of the entity, for sync's share: how many there are, and how many the file does not name. */
  async syncShare(m: EntityManager, id: string, entityId: string): Promise<{ active: number; absent: number }> {
    const rows = await sql<{ active: number; absent: number }>(
      m,
      `SELECT count(*)::int AS active, count(*) FILTER (WHERE ${ABSENT})::int AS absent
       FROM ${usersWhere(`${liveUser("u")} AND u.active AND u.entity_id = $2`)}`,
      [id, entityId],
    );
    return rows[0];
  }

  /** The next few active people of the entity the file does not name (by email, or matched by a row). */
  async absentPeople(m: EntityManager, id: string, entityId: string, limit: number): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      m,
      `SELECT u.id FROM ${usersWhere(`${liveUser("u")} AND u.active AND u.entity_id = $2 AND ${ABSENT}`)}
       ORDER BY u.id LIMIT $3`,
      [id, entityId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The header and a page of rows with their results, in file order, for the report. */
  async columns(m: EntityManager, id: string): Promise<string[]> {
    const rows = await sql<{ columns: string[] }>(m, `SELECT columns FROM imports WHERE id = $1`, [id]);
    return rows[0]?.columns ?? [];
  }

  async reportPage(
    m: EntityManager,
    id: string,
    after: number,
    limit: number,
  ): Promise<{ n: number; cells: string[]; result: string | null; reason: string | null }[]> {
    return sql(
      m,
      `SELECT n, cells, result, reason FROM import_rows WHERE import_id = $1 AND n > $2 ORDER BY n LIMIT $3`,
      [id, after, limit],
    );
  }
}
