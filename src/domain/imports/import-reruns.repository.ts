import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";

/** One stored row of an import with what it came to (null: not done yet), for a preview and for a new run's copy. */
export interface StoredRow {
  n: number;
  line: number;
  cells: string[];
  result: string | null;
  reason: string | null;
}

/** SQL over `imports`, `import_rows` and `import_results` for staged imports and runs started from an earlier import's rows (0147). */
export class ImportRerunsRepository {
  /** receiving -> staged: the whole file is stored, nothing is to be applied. */
  async stage(m: EntityManager, id: string, total: number): Promise<void> {
    await sql(m, `UPDATE imports SET status = 'staged', total = $2 WHERE id = $1 AND status = 'receiving'`, [
      id,
      total,
    ]);
  }

  /** A staged import given up: cancelled (its rows stay, for a run started from it later is refused). */
  async discard(m: EntityManager, id: string): Promise<boolean> {
    const rows = await sql(
      m,
      `UPDATE imports SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status = 'staged' RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * A page of an import's rows in file order after row `after`; `result` keeps only the rows that came to it
   * ('not done': rows without a result yet). The primary keys (import_id, n) walk the pages.
   */
  async rowsPage(
    m: EntityManager,
    id: string,
    after: number,
    limit: number,
    result: string | null,
  ): Promise<StoredRow[]> {
    return sql<StoredRow>(
      m,
      `SELECT r.n, r.line, r.cells, x.result, x.reason FROM import_rows r
       LEFT JOIN import_results x ON x.import_id = r.import_id AND x.n = r.n
       WHERE r.import_id = $1 AND r.n > $2 AND ($4::text IS NULL OR coalesce(x.result, 'not done') = $4)
       ORDER BY r.n LIMIT $3`,
      [id, after, limit, result],
    );
  }
}
