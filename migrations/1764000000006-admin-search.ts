import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the admin search (GET /admin/v1/users) needs to stay fast at a million users:
 * - `search_text`: names, userName and emails folded (lower-cased, accents removed by `unaccent`) into one stored
 *   column, with a trigram GIN index, so `q=dupont` (and `q=Dupônt`) is an index lookup, not a scan;
 * - `roster_user_facets(...)`: the status filters (active, invitation pending, enrolled, connected, external) and the
 *   source as one small integer, indexed: any combination of those filters is `facets = ANY(list)` on one index, and
 *   ANALYZE keeps statistics of the combinations so the planner knows how rare each one is;
 * - sort indexes for the orders the search offers (userName uses the existing unique index, createdAt the list index).
 */
export class AdminSearch1764000000006 implements MigrationInterface {
  name = "AdminSearch1764000000006";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    // unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the result fixed,
    // which an index and a generated column need. Schema-qualified so that no search_path changes it.
    await q.query(`
      CREATE FUNCTION roster_fold(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$`);
    await q.query(`
      CREATE FUNCTION roster_search_text(given_name text, family_name text, user_name text, emails jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT roster_fold(concat_ws(' ', given_name, family_name, user_name, array_to_string(roster_lower_values(emails), ' '))) $$`);
    // Bits: 1 active, 2 invited, 4 enrolled, 8 connected (has signed in), 16 external; source index * 32.
    // src/domain/users/users-search.facets.ts computes the same codes.
    await q.query(`
      CREATE FUNCTION roster_user_facets(active boolean, invited_at timestamptz, enrolled_at timestamptz,
                                         last_login_at timestamptz, external boolean, source text) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN active THEN 1 ELSE 0 END + CASE WHEN invited_at IS NULL THEN 0 ELSE 2 END
                 + CASE WHEN enrolled_at IS NULL THEN 0 ELSE 4 END + CASE WHEN last_login_at IS NULL THEN 0 ELSE 8 END
                 + CASE WHEN external THEN 16 ELSE 0 END
                 + 32 * CASE source WHEN 'scim' THEN 0 WHEN 'admin' THEN 1 WHEN 'csv' THEN 2 WHEN 'jit' THEN 3 ELSE 4 END $$`);

    // Stored, so a candidate row from the index is rechecked by reading a column, not by folding four fields again.
    await q.query(`ALTER TABLE users ADD COLUMN search_text text
                   GENERATED ALWAYS AS (roster_search_text(given_name, family_name, user_name, emails)) STORED`);
    await q.query(
      `CREATE INDEX users_search_text_trgm_idx ON users USING gin (search_text gin_trgm_ops) WHERE removed_at IS NULL`,
    );
    // Not partial: the planner ignores the statistics of a partial expression index, and without them it guesses how
    // rare a status is (and walks a sort index for seconds looking for a rare one). Statistics over 160 values keep
    // every code (5 bits x 5 sources) in the most-common-values list, so rare combinations are known to be rare.
    await q.query(`CREATE INDEX users_search_facets_idx ON users
                   (roster_user_facets(active, invited_at, enrolled_at, last_login_at, external, source))`);
    await q.query(`ALTER INDEX users_search_facets_idx ALTER COLUMN 1 SET STATISTICS 200`);
    await q.query(
      `CREATE INDEX users_search_family_name_idx ON users (lower(coalesce(family_name, '')), id) WHERE removed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX users_search_last_login_idx ON users (coalesce(last_login_at, '-infinity'::timestamptz), id) WHERE removed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_search_last_login_idx`);
    await q.query(`DROP INDEX users_search_family_name_idx`);
    await q.query(`DROP INDEX users_search_facets_idx`);
    await q.query(`DROP INDEX users_search_text_trgm_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN search_text`);
    await q.query(`DROP FUNCTION roster_user_facets(boolean, timestamptz, timestamptz, timestamptz, boolean, text)`);
    await q.query(`DROP FUNCTION roster_search_text(text, text, text, jsonb)`);
    await q.query(`DROP FUNCTION roster_fold(text)`);
    // The extensions stay: other objects may use them by now.
  }
}
