import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Maintained tallies of live users (decision 0135), so that a list's totalResults and a deep startIndex page cost the
 * same at 1,000,000 users as at 10,000 instead of counting or walking every row.
 *
 * Each statement that changes `users` appends signed delta rows (statement-level triggers over transition tables): one
 * per tally it moves. Writers only ever insert, so no row is hot and no writer waits for another; a reader sums the
 * rows of one key under its own snapshot, so the figure is exact for what that reader sees. The worker folds the deltas
 * into one `folded` row per key now and then, in one statement, which keeps the sums short.
 *   level 0: every live user (bucket 0);  level 1: live users by `active` (bucket 1 = true, 0 = false);
 *   levels 2, 3, 4: live users by creation day, hour and minute (bucket = floor(epoch seconds / width)), which place a
 *   position of the default order (created_at, id) within a minute without walking the rows before it.
 */
export class UserTallies1764000000130 implements MigrationInterface {
  name = "UserTallies1764000000130";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE user_tallies (
      level smallint NOT NULL,
      bucket bigint NOT NULL,
      n bigint NOT NULL,
      folded boolean NOT NULL DEFAULT false)`);
    await q.query(`CREATE INDEX user_tallies_key_idx ON user_tallies (level, bucket) INCLUDE (n)`);
    await q.query(`CREATE UNIQUE INDEX user_tallies_folded_idx ON user_tallies (level, bucket) WHERE folded`);
    await q.query(`CREATE INDEX user_tallies_unfolded_idx ON user_tallies (level) WHERE NOT folded`);
    // The deltas of one statement: the live rows it added (+1) and took (-1), per tally, netted; zero moves nothing.
    const deltas = (added: string, taken: string) => `
      INSERT INTO user_tallies (level, bucket, n)
      SELECT level, bucket, sum(n) FROM (
        SELECT c.n, k.level, k.bucket
        FROM (${[added && `SELECT created_at, active, 1 AS n FROM ${added} WHERE removed_at IS NULL`, taken && `SELECT created_at, active, -1 AS n FROM ${taken} WHERE removed_at IS NULL`].filter(Boolean).join(" UNION ALL ")}) c
        CROSS JOIN LATERAL (VALUES
          (0::smallint, 0::bigint),
          (1::smallint, CASE WHEN c.active THEN 1 ELSE 0 END::bigint),
          (2::smallint, floor(extract(epoch FROM c.created_at) / 86400)::bigint),
          (3::smallint, floor(extract(epoch FROM c.created_at) / 3600)::bigint),
          (4::smallint, floor(extract(epoch FROM c.created_at) / 60)::bigint)) AS k(level, bucket)
      ) d GROUP BY level, bucket HAVING sum(n) <> 0`;
    const fn = (name: string, body: string) =>
      q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$`);
    await fn("user_tallies_inserted", deltas("added_rows", ""));
    await fn("user_tallies_updated", deltas("added_rows", "taken_rows"));
    await fn("user_tallies_deleted", deltas("", "taken_rows"));
    await fn("user_tallies_truncated", "DELETE FROM user_tallies");
    await q.query(`CREATE TRIGGER user_tallies_ins AFTER INSERT ON users REFERENCING NEW TABLE AS added_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION user_tallies_inserted()`);
    await q.query(`CREATE TRIGGER user_tallies_upd AFTER UPDATE ON users
                   REFERENCING OLD TABLE AS taken_rows NEW TABLE AS added_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION user_tallies_updated()`);
    await q.query(`CREATE TRIGGER user_tallies_del AFTER DELETE ON users REFERENCING OLD TABLE AS taken_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION user_tallies_deleted()`);
    await q.query(`CREATE TRIGGER user_tallies_trunc AFTER TRUNCATE ON users
                   FOR EACH STATEMENT EXECUTE FUNCTION user_tallies_truncated()`);
    // `filter=active eq false` pages walk this instead of the whole creation order (5% of the users at most, typically).
    await q.query(`CREATE INDEX users_inactive_created_at_id_idx ON users (created_at, id)
                   WHERE removed_at IS NULL AND NOT active`);
    // The users already there, as folded rows (the lock keeps writers out until the triggers and the fill agree).
    await q.query(`LOCK TABLE users IN SHARE MODE`);
    await q.query(`INSERT INTO user_tallies (level, bucket, n, folded)
      SELECT k.level, k.bucket, count(*), true FROM users c
      CROSS JOIN LATERAL (VALUES
        (0::smallint, 0::bigint),
        (1::smallint, CASE WHEN c.active THEN 1 ELSE 0 END::bigint),
        (2::smallint, floor(extract(epoch FROM c.created_at) / 86400)::bigint),
        (3::smallint, floor(extract(epoch FROM c.created_at) / 3600)::bigint),
        (4::smallint, floor(extract(epoch FROM c.created_at) / 60)::bigint)) AS k(level, bucket)
      WHERE c.removed_at IS NULL GROUP BY k.level, k.bucket`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["ins", "upd", "del", "trunc"]) await q.query(`DROP TRIGGER user_tallies_${t} ON users`);
    for (const f of ["inserted", "updated", "deleted", "truncated"]) await q.query(`DROP FUNCTION user_tallies_${f}()`);
    await q.query(`DROP TABLE user_tallies`);
    await q.query(`DROP INDEX users_inactive_created_at_id_idx`);
  }
}
