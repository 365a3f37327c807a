import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the console's people list needs:
 * - `admin_jobs.door`: the door a mass action came through. The runners act as the admin who asked, and now through
 *   the same door too, so a job started in the console is audited with door `console` whoever works it through;
 *   and an index for the console's list of recent jobs.
 * - `roster_has_contact(...)`: whether an invitation could reach the person at all (an email address, a userName that
 *   is one, or a phone number), the same test as invitations.rules.ts' emailOf/phoneOf. "No enrolment possible" is a
 *   person not enrolled without any. Indexed (not partial, so the planner keeps statistics of it and knows how rare
 *   people without contact are), so that filter is an index lookup at a million users, not a walk of the whole list.
 */
export class PeopleConsole1764000000190 implements MigrationInterface {
  name = "PeopleConsole1764000000190";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_jobs ADD COLUMN door text NOT NULL DEFAULT 'admin'`);
    // The console's list of recent jobs, newest first, without sorting them all.
    await q.query(`CREATE INDEX admin_jobs_created_idx ON admin_jobs (created_at, id)`);
    await q.query(`
      CREATE FUNCTION roster_has_contact(emails jsonb, phone_numbers jsonb, user_name text) RETURNS boolean
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT coalesce(user_name ~ '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', false)
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(emails) = 'array' THEN emails ELSE '[]' END) e
                          WHERE jsonb_typeof(e -> 'value') = 'string' AND e ->> 'value' ~ '\\S')
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(phone_numbers) = 'array' THEN phone_numbers ELSE '[]' END) p
                          WHERE jsonb_typeof(p -> 'value') = 'string' AND p ->> 'value' ~ '\\S') $$`);
    await q.query(`CREATE INDEX users_contact_idx ON users (roster_has_contact(emails, phone_numbers, user_name), id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_contact_idx`);
    await q.query(`DROP FUNCTION roster_has_contact(jsonb, jsonb, text)`);
    await q.query(`DROP INDEX admin_jobs_created_idx`);
    await q.query(`ALTER TABLE admin_jobs DROP COLUMN door`);
  }
}
