import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Ctx } from "../context";
import type { ImportOptions } from "./import";
import { FOLD_TALLIES, type ImportRecord, SELECT, type Stored, toRecord } from "./import-record";
import { ImportRowsRepository } from "./import-rows.repository";

/** The tables of an import's rows, emptied before it (prune), and the column that with import_id keys each. */
const PRUNED = [
  ["import_results", "n"],
  ["import_rows", "n"],
  ["import_ranges", "last_n"],
  ["import_tallies", "upto"],
] as const;

export type { ClaimedBatch, ClaimedRow, ImportRecord, RowOutcome } from "./import-record";

/** SQL over `imports` (the rows', ranges' and results' statements inherited from ImportRowsRepository). */
export class ImportsRepository extends ImportRowsRepository {
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
  /** Newest first, a keyset page after (created_at, id). */ async list(
    m: EntityManager,
    limit: number,
    after: { at: Date; id: string } | null,
  ): Promise<ImportRecord[]> {
    const rows = await sql<Stored>(
      m,
      `${SELECT} WHERE ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit, after?.at ?? null, after?.id ?? null],
    );
    return rows.map(toRecord);
  }
  /** The oldest import with work left (queued or running), for a worker. */ async nextOpen(
    m: EntityManager,
    only: string | null = null,
  ): Promise<ImportRecord | null> {
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
      `WITH i AS (SELECT id FROM imports WHERE id = $1 AND status IN ('queued', 'running') FOR UPDATE), ${FOLD_TALLIES.cte}
       UPDATE imports SET status = $2, finished_at = now(), ${FOLD_TALLIES.set} WHERE id IN (SELECT id FROM i) RETURNING id`,
      [id, status],
    );
    return rows.length > 0;
  }
  /** Uploads whose last chunk arrived more than `minutes` ago and are still `receiving` (their process died): failed. */
  async failStalled(m: EntityManager, minutes: number): Promise<number> {
    const rows = await sql(
      m,
      `UPDATE imports SET status = 'failed', finished_at = now(),
         error = 'the upload was interrupted: the file stopped arriving before its end (send it again)'
       WHERE status = 'receiving' AND coalesce(received_at, created_at) < now() - $1 * interval '1 minute' RETURNING id`,
      [minutes],
    );
    return rows.length;
  }
  /**
   * Imports finished more than `days` ago go, their results, rows and ranges first, at most `limit` rows a step (a
   * 1,000,000-row import is not one long delete); an import is deleted once it has none left. A staged file nobody
   * started within the window goes too: it never finishes, and its rows would stay for good. How many rows went.
   */
  async prune(m: EntityManager, days: number, limit: number): Promise<number> {
    const old = `SELECT id FROM imports WHERE finished_at < now() - $1 * interval '1 day'
                   OR (status = 'staged' AND created_at < now() - $1 * interval '1 day')`;
    let gone = 0;
    // No foreign key ties results and ranges to their import (0155): they go here, before it.
    for (const [table, key] of PRUNED) {
      const rows = await sql(
        m,
        `DELETE FROM ${table} WHERE (import_id, ${key}) IN (
           SELECT r.import_id, r.${key} FROM (${old}) i JOIN LATERAL (
             SELECT import_id, ${key} FROM ${table} WHERE import_id = i.id LIMIT $2) r ON true LIMIT $2)
         RETURNING 1`,
        [days, limit - gone],
      );
      gone += rows.length;
      if (gone >= limit) return gone;
    }
    const imports = await sql(
      m,
      `DELETE FROM imports i WHERE i.id IN (${old})
         AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM import_results r WHERE r.import_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM import_ranges r WHERE r.import_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM import_tallies r WHERE r.import_id = i.id) RETURNING 1`,
      [days],
    );
    return gone + imports.length;
  }
  async addDeactivated(m: EntityManager, id: string, n: number): Promise<void> {
    await sql(m, `UPDATE imports SET deactivated = deactivated + $2 WHERE id = $1`, [id, n]);
  }
  /** The header and a page of rows with their results, in file order, for the report. */ async columns(
    m: EntityManager,
    id: string,
  ): Promise<string[]> {
    const rows = await sql<{ columns: string[] }>(m, `SELECT columns FROM imports WHERE id = $1`, [id]);
    return rows[0]?.columns ?? [];
  }
}
