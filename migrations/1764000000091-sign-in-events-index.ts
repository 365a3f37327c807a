import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * GET /admin/v1/sign-in-events walks the sign-in attempts of the audit log newest first (by id: the chain's seq is
 * stamped later by the seal loop). A partial index holds only those records, so the walk never reads other records.
 */
export class SignInEventsIndex1764000000091 implements MigrationInterface {
  name = "SignInEventsIndex1764000000091";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_events_sign_in_idx ON audit_events (id)
                   WHERE action IN ('sign_in.succeeded', 'sign_in.refused')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_sign_in_idx`);
  }
}
