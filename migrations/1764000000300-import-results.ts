import type { MigrationInterface, QueryRunner } from "typeorm";

/** Rows of file order one range of work spans when an existing import's undone rows are cut into ranges. */
const SPAN = 1000;

/**
 * A batch no longer rewrites the rows it applies (decision 0155). `import_rows` keeps the file as read, insert-only;
 * what each row came to goes to `import_results`, one narrow insert-only row keyed (import_id, n); the work still to do
 * is `import_ranges`, one row per span of rows (next_n..last_n), claimed FOR UPDATE SKIP LOCKED one row a batch and moved
 * on (or deleted) in the batch's transaction. Neither new table references `imports` or `import_rows`: a foreign key's
 * check locks the referenced row FOR KEY SHARE, one lock per result, which is the write this takes away; the imports
 * module deletes them itself (prune).
 * Existing imports carry over: results move to `import_results`, and the undone rows of imports still open (queued or
 * running) are cut into ranges, so they finish; a done row inside a range is skipped as any row with a result is.
 */
export class ImportResults1764000000300 implements MigrationInterface {
  name = "ImportResults1764000000300";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_results (
        import_id uuid NOT NULL,
        n         integer NOT NULL,
        result    text NOT NULL,
        reason    text,
        user_id   uuid,
        PRIMARY KEY (import_id, n)
      )`);
    // sync: the people a row matched are not absent from the file.
    await q.query(
      `CREATE INDEX import_results_user_idx ON import_results (import_id, user_id) WHERE user_id IS NOT NULL`,
    );
    // last_n never changes (a batch moves next_n on, a HOT update of a row no index covers by that column).
    await q.query(`
      CREATE TABLE import_ranges (
        import_id uuid NOT NULL,
        last_n    integer NOT NULL,
        next_n    integer NOT NULL,
        PRIMARY KEY (import_id, last_n)
      )`);
    await q.query(`
      INSERT INTO import_results (import_id, n, result, reason, user_id)
      SELECT import_id, n, result, reason, user_id FROM import_rows WHERE result IS NOT NULL`);
    await q.query(
      `INSERT INTO import_ranges (import_id, last_n, next_n)
       SELECT r.import_id, max(r.n), min(r.n) FROM import_rows r JOIN imports i ON i.id = r.import_id
       WHERE r.result IS NULL AND i.status IN ('receiving', 'queued', 'running')
       GROUP BY r.import_id, (r.n - 1) / $1`,
      [SPAN],
    );
    await q.query(`DROP INDEX import_rows_todo_idx`);
    await q.query(`DROP INDEX import_rows_user_idx`);
    await q.query(`ALTER TABLE import_rows DROP COLUMN result, DROP COLUMN reason, DROP COLUMN user_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_rows ADD COLUMN result text, ADD COLUMN reason text, ADD COLUMN user_id uuid`);
    await q.query(`
      UPDATE import_rows r SET result = x.result, reason = x.reason, user_id = x.user_id
      FROM import_results x WHERE x.import_id = r.import_id AND x.n = r.n`);
    await q.query(`CREATE INDEX import_rows_todo_idx ON import_rows (import_id, n) WHERE result IS NULL`);
    await q.query(`CREATE INDEX import_rows_user_idx ON import_rows (import_id, user_id) WHERE user_id IS NOT NULL`);
    await q.query(`DROP TABLE import_ranges`);
    await q.query(`DROP TABLE import_results`);
  }
}
