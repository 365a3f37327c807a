import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the admin door needs on top of the spine: the organisation's entities (a tree), each person's place in it,
 * their system role and admin scope, internal/external, and the lifecycle times the admin search filters on.
 */
export class AdminFoundation1764000000003 implements MigrationInterface {
  name = "AdminFoundation1764000000003";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entities (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL,
        parent_id    uuid REFERENCES entities (id) ON DELETE RESTRICT,
        external_key text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1,
        CHECK (parent_id IS DISTINCT FROM id)
      )`);
    // Sibling names are unique case-insensitively; roots are siblings of each other.
    await q.query(`CREATE UNIQUE INDEX entities_sibling_name_key
                   ON entities (COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);
    await q.query(`CREATE INDEX entities_parent_idx ON entities (parent_id)`);
    await q.query(
      `CREATE UNIQUE INDEX entities_external_key_key ON entities (lower(external_key)) WHERE external_key IS NOT NULL`,
    );

    await q.query(`
      ALTER TABLE users
        ADD COLUMN entity_id     uuid REFERENCES entities (id) ON DELETE RESTRICT,
        ADD COLUMN system_role   text NOT NULL DEFAULT 'member' CHECK (system_role IN ('member', 'admin', 'auditor')),
        ADD COLUMN admin_scope   uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN external      boolean NOT NULL DEFAULT false,
        ADD COLUMN invited_at    timestamptz,
        ADD COLUMN enrolled_at   timestamptz,
        ADD COLUMN last_login_at timestamptz`);
    await q.query(`CREATE INDEX users_entity_idx ON users (entity_id) WHERE entity_id IS NOT NULL`);

    // A token may act as a person: its rights are then that person's role and admin scope, read at each request.
    await q.query(`ALTER TABLE api_tokens ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE CASCADE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN user_id`);
    await q.query(`ALTER TABLE users DROP COLUMN entity_id, DROP COLUMN system_role, DROP COLUMN admin_scope, DROP COLUMN external,
                   DROP COLUMN invited_at, DROP COLUMN enrolled_at, DROP COLUMN last_login_at`);
    await q.query(`DROP TABLE entities`);
  }
}
