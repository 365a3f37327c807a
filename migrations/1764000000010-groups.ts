import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Groups (RFC 7643 §4.2) and their membership as its own table, so member changes are set operations on
 * (group_id, user_id) rows whose cost follows the request, never the group's size.
 */
export class Groups1764000000010 implements MigrationInterface {
  name = "Groups1764000000010";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE groups (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL,
        external_id  text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1
      ) WITH (fillfactor = 50)`);
    // Entra matches groups by displayName: unique case-insensitively.
    await q.query(`CREATE UNIQUE INDEX groups_display_name_lower_key ON groups (lower(display_name))`);
    await q.query(`CREATE INDEX groups_external_id_idx ON groups (external_id)`);
    await q.query(`CREATE INDEX groups_created_at_id_idx ON groups (created_at, id)`);
    // No index on updated_at, and room on each page: every member change moves version and updated_at on, and
    // those updates must stay HOT (no new index entries). Otherwise each of the many updates of a busy group
    // leaves one more dead entry in every index, which every later lookup of that group (the PATCH's lock, the
    // foreign-key check of each member insert) walks: batch 1,000 of an Okta push would cost more than batch 1.
    // A meta.lastModified filter scans the table, which holds groups (thousands), not memberships.
    await q.query(`
      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, user_id)
      )`);
    // User.groups, the groups.value filter and a user's removal look memberships up by user.
    await q.query(`CREATE INDEX group_members_user_id_idx ON group_members (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_members`);
    await q.query(`DROP TABLE groups`);
  }
}
