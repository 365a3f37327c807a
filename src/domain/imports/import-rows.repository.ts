import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { liveUser, usersWhere } from "../users/users.fragments";
import type { RowResult } from "./import";
import { ABSENT, type ClaimedBatch, type ClaimedRow, type RowOutcome } from "./import-record";

/**
 * SQL over `import_rows` (the file as read), `import_ranges` (the work left) and `import_results` (what each row came to),
 * and the counts of their import: a file's rows stored, claimed a range at a time, given their results, read back (0155).
 */
export class ImportRowsRepository {
  /**
   * A chunk of rows as read (and the time it arrived, for the stall sweep), in one statement; then the chunk's
   * duplicates marked (markDuplicates). The number of duplicates. `m` is a transaction's (ImportsService.receive).
   */
  async insertRows(
    m: EntityManager,
    id: string,
    rows: { n: number; line: number; cells: string[]; email: string | null; userName: string | null }[],
  ): Promise<number> {
    // The chunk is also one range of work (claim): the workers' batches take it in spans of their size.
    await sql(
      m,
      `WITH arrived AS (UPDATE imports SET received_at = clock_timestamp() WHERE id = $1),
       span AS (INSERT INTO import_ranges (import_id, last_n, next_n)
         SELECT $1, max(c.n), min(c.n) FROM unnest($2::int[]) AS c(n) HAVING count(*) > 0)
       INSERT INTO import_rows (import_id, n, line, cells, email_key, user_name_key)
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
    if (rows.length === 0) return 0;
    // In the caller's transaction (SET LOCAL): the plan for an import id the statistics have not seen yet takes it for
    // one row and walks every row of the import per row of the chunk; the generic plan reads the email's index.
    await sql(m, "SET LOCAL plan_cache_mode = force_generic_plan");
    return this.markDuplicates(m, id, rows[0].n, rows[rows.length - 1].n);
  }
  /**
   * Rows `from`..`to` that repeat an earlier row's email or userName are reported as duplicates, never applied. Each row
   * looks up the first row of its email and of its userName (two index probes), so the statement costs the same for the
   * last chunk of a 1,000,000-row file as for the first; later chunks cannot come first, so the file needs no pass of its own.
   */
  private async markDuplicates(m: EntityManager, id: string, from: number, to: number): Promise<number> {
    const rows = await sql<{ n: number }>(
      m,
      `WITH firsts AS (
         SELECT c.n,
           (SELECT min(p.n + 0) FROM import_rows p WHERE p.import_id = $1 AND p.email_key = c.email_key) AS by_email,
           CASE WHEN c.user_name_key IS NULL THEN c.n ELSE (SELECT min(p.n + 0) FROM import_rows p WHERE p.import_id = $1
             AND p.user_name_key = c.user_name_key AND p.email_key IS NOT NULL) END AS by_name
         FROM import_rows c WHERE c.import_id = $1 AND c.n BETWEEN $2 AND $3 AND c.email_key IS NOT NULL)
       INSERT INTO import_results (import_id, n, result, reason)
       SELECT $1, f.n, 'duplicate', 'the same ' || CASE WHEN f.by_email < f.n THEN 'email' ELSE 'userName' END || ' as line ' ||
                  (SELECT line FROM import_rows p WHERE p.import_id = $1 AND p.n = least(f.by_email, f.by_name))
       FROM firsts f WHERE least(f.by_email, f.by_name) < f.n
       RETURNING n`,
      [id, from, to],
    );
    return rows.length;
  }
  /**
   * The next range of rows to do, locked for the caller's transaction (another worker skips it, and takes the next), and
   * its rows without a result from `next_n` on, at most `limit` of file order; null when every range is done or taken.
   * Reads by keys only: the same cost at row 1,000,000 as at row 1, and nothing written to `import_rows`.
   */
  async claim(m: EntityManager, id: string, limit: number): Promise<ClaimedBatch | null> {
    const rows = await sql<{ last: number; upto: number } & { [K in keyof ClaimedRow]: ClaimedRow[K] | null }>(
      m,
      `WITH g AS (SELECT next_n, last_n, least(last_n, next_n + $2 - 1) AS upto FROM import_ranges
                  WHERE import_id = $1 ORDER BY last_n LIMIT 1 FOR UPDATE SKIP LOCKED)
       SELECT g.last_n AS last, g.upto, r.n, r.line, r.cells FROM g LEFT JOIN LATERAL (
         SELECT n, line, cells FROM import_rows r WHERE r.import_id = $1 AND r.n BETWEEN g.next_n AND g.upto
           AND NOT EXISTS (SELECT 1 FROM import_results x WHERE x.import_id = $1 AND x.n = r.n
             AND x.n BETWEEN g.next_n AND g.upto)) r ON true
       ORDER BY r.n`,
      [id, limit],
    );
    if (rows.length === 0) return null;
    const { last, upto } = rows[0];
    return { last, upto, rows: rows.filter((r): r is typeof r & ClaimedRow => r.n !== null) };
  }
  /** Whether any row is still to do (its range claimed by a batch in flight, or not yet). */ async hasRowsLeft(
    m: EntityManager,
    id: string,
  ): Promise<boolean> {
    const rows = await sql(m, `SELECT 1 FROM import_ranges WHERE import_id = $1 LIMIT 1`, [id]);
    return rows.length > 0;
  }
  /**
   * A batch's outcomes (inserted), its range moved past the batch (deleted once done) and its counts (a row of
   * `import_tallies`, not an update of the import's row, which the import's other loops would wait for: 0157), in one
   * statement: one round trip, and in the batch's transaction, so a killed batch leaves its range as it was.
   */
  async record(m: EntityManager, id: string, batch: ClaimedBatch, outcomes: RowOutcome[]): Promise<void> {
    const count = (r: RowResult) => outcomes.filter((o) => o.result === r).length;
    await sql(
      m,
      `WITH counted AS (INSERT INTO import_tallies (import_id, upto, done, created, updated, unchanged, skipped, failed)
         SELECT $1, $13, $6, $7, $8, $9, $10, $11 WHERE $6 > 0),
       moved AS (UPDATE import_ranges SET next_n = $13 + 1 WHERE import_id = $1 AND last_n = $12 AND $13 < $12),
       ended AS (DELETE FROM import_ranges WHERE import_id = $1 AND last_n = $12 AND $13 >= $12)
       INSERT INTO import_results (import_id, n, result, reason, user_id)
       SELECT $1, o.n, o.result, o.reason, o.user_id
       FROM unnest($2::int[], $3::text[], $4::text[], $5::uuid[]) AS o(n, result, reason, user_id)`,
      [
        id,
        outcomes.map((o) => o.n),
        outcomes.map((o) => o.result),
        outcomes.map((o) => o.reason),
        outcomes.map((o) => o.userId),
        outcomes.length,
        count("created"),
        count("updated"),
        count("unchanged"),
        count("skipped"),
        count("failed"),
        batch.last,
        batch.upto,
      ],
    );
  }
  /** Active people of the entity, for sync's share: how many there are, and how many the file does not name. */ async syncShare(
    m: EntityManager,
    id: string,
    entityId: string,
  ): Promise<{ active: number; absent: number }> {
    const rows = await sql<{ active: number; absent: number }>(
      m,
      `SELECT count(*)::int AS active, count(*) FILTER (WHERE ${ABSENT})::int AS absent
       FROM ${usersWhere(`${liveUser("u")} AND u.active AND u.entity_id = $2`)}`,
      [id, entityId],
    );
    return rows[0];
  }
  /** The next few active people of the entity the file does not name (by email, or matched by a row). */ async absentPeople(
    m: EntityManager,
    id: string,
    entityId: string,
    limit: number,
  ): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      m,
      `SELECT u.id FROM ${usersWhere(`${liveUser("u")} AND u.active AND u.entity_id = $2 AND ${ABSENT}`)}
       ORDER BY u.id LIMIT $3`,
      [id, entityId, limit],
    );
    return rows.map((r) => r.id);
  }
  async reportPage(
    m: EntityManager,
    id: string,
    after: number,
    limit: number,
  ): Promise<{ n: number; cells: string[]; result: string | null; reason: string | null }[]> {
    return sql(
      m,
      `SELECT r.n, r.cells, x.result, x.reason FROM import_rows r
       LEFT JOIN import_results x ON x.import_id = r.import_id AND x.n = r.n
       WHERE r.import_id = $1 AND r.n > $2 ORDER BY r.n LIMIT $3`,
      [id, after, limit],
    );
  }
}
