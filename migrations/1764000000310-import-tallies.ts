import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An import's counts as insert-only rows, one per batch (decision 0157): a batch that added its counts to the
 * import's own row held that row's lock until it committed, so the other loops' batches of the same import waited for
 * that commit (its WAL flush) at their end. Readers add the rows to the import's own counts (its upload's duplicates);
 * `finish` folds them into it. Keyed by the batch's last row (`upto`): batches span distinct rows. No foreign key, as
 * `import_results` (0155): a key check locks the import's row again; pruning deletes them first.
 */
export class ImportTallies1764000000310 implements MigrationInterface {
  name = "ImportTallies1764000000310";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_tallies (
        import_id uuid NOT NULL,
        upto      integer NOT NULL,
        done      integer NOT NULL,
        created   integer NOT NULL,
        updated   integer NOT NULL,
        unchanged integer NOT NULL,
        skipped   integer NOT NULL,
        failed    integer NOT NULL,
        PRIMARY KEY (import_id, upto)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE imports i SET done = i.done + t.done, created = i.created + t.created, updated = i.updated + t.updated,
        unchanged = i.unchanged + t.unchanged, skipped = i.skipped + t.skipped, failed = i.failed + t.failed
      FROM (SELECT import_id, sum(done)::int AS done, sum(created)::int AS created, sum(updated)::int AS updated,
              sum(unchanged)::int AS unchanged, sum(skipped)::int AS skipped, sum(failed)::int AS failed
            FROM import_tallies GROUP BY import_id) t
      WHERE t.import_id = i.id`);
    await q.query(`DROP TABLE import_tallies`);
  }
}
