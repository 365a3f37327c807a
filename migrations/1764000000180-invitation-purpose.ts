import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What an invitation link is for (decision 0143): `join`, the invitation an admin or the platform asks for (refused once
 * the person has joined), or `set_password`, the one-time link `roster admin invite` prints, which also lets someone who
 * joined long ago set a new password (the first admin of an install, an operator locked out). A constant default is
 * only catalogue work in PostgreSQL 11+: no rewrite of the table.
 */
export class InvitationPurpose1764000000180 implements MigrationInterface {
  name = "InvitationPurpose1764000000180";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE invitations ADD COLUMN purpose text NOT NULL DEFAULT 'join'
         CONSTRAINT invitations_purpose_check CHECK (purpose IN ('join', 'set_password'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitations DROP COLUMN purpose`);
  }
}
