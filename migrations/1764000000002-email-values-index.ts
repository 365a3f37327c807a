import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Lets `emails[type eq "work"].value eq "x"` (Entra's usual matching attribute) and `emails.value eq "x"`
 * use an index: a GIN index over the lower-cased values of `emails`, which the filter compiler tests with `@>`.
 */
export class EmailValuesIndex1764000000002 implements MigrationInterface {
  name = "EmailValuesIndex1764000000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION roster_lower_values(items jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT ARRAY(SELECT lower(e->>'value') FROM jsonb_array_elements(items) AS e WHERE e->>'value' IS NOT NULL) $$`);
    await q.query(`CREATE INDEX users_email_values_idx ON users USING gin (roster_lower_values(emails))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_email_values_idx`);
    await q.query(`DROP FUNCTION roster_lower_values(jsonb)`);
  }
}
