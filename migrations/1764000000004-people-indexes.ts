import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the people and entities use cases look up: entities by name (the SCIM department/organization mapping falls back
 * to it after external_key), and the few people whose admin scope names an entity (an entity in a scope is not deleted).
 */
export class PeopleIndexes1764000000004 implements MigrationInterface {
  name = "PeopleIndexes1764000000004";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX entities_lower_name_idx ON entities (lower(name))`);
    await q.query(
      `CREATE INDEX users_admin_scope_idx ON users USING gin (admin_scope) WHERE cardinality(admin_scope) > 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_admin_scope_idx`);
    await q.query(`DROP INDEX entities_lower_name_idx`);
  }
}
