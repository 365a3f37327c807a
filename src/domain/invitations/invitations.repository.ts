import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { invitableUser } from "../users/users.fragments";
import type { Invitation, InvitationPurpose } from "./invitation";

type InvitationRow = Omit<Invitation, "space"> & { spaceGroupId: string | null; spaceName: string | null };

const SELECT = `i.id, i.user_id AS "userId", i.requested_at AS "requestedAt", i.requested_by AS "requestedBy", i.door,
  i.space_group_id AS "spaceGroupId", i.space_name AS "spaceName", i.issued_at AS "issuedAt", i.expires_at AS "expiresAt",
  i.sent_at AS "sentAt", i.channels, i.attempts, i.consumed_at AS "consumedAt", i.revoked_at AS "revokedAt",
  i.failed_at AS "failedAt", i.failure, i.purpose`;

const toInvitation = ({ spaceGroupId, spaceName, ...r }: InvitationRow): Invitation => ({
  ...r,
  space: spaceName === null ? null : { groupId: spaceGroupId, name: spaceName },
});

/** An invitation not used, revoked or failed (invitation.ts `isOpen`), on the row aliased `i`. */
const OPEN = "i.consumed_at IS NULL AND i.revoked_at IS NULL AND i.failed_at IS NULL";

/** SQL over `invitations`: one row per invitation asked for; the link's token is stored only as its SHA-256. */
export class InvitationsRepository {
  /** Revokes the user's invitations still open (queued or sent, not used): a newer one replaces them. */
  async revokeOpen(m: EntityManager, userId: string, at: Date): Promise<number> {
    const rows = await sql<{ id: string }>(
      m,
      `UPDATE invitations i SET revoked_at = $2 WHERE i.user_id = $1 AND ${OPEN} RETURNING i.id`,
      [userId, at],
    );
    return rows.length;
  }

  /** Inserts a new invitation and revokes the person's open ones, in one statement; answers how many it revoked. */
  async replaceOpen(
    m: EntityManager,
    i: {
      id: string;
      userId: string;
      requestedAt: Date;
      requestedBy: string | null;
      door: string;
      space?: { groupId: string; name: string };
    },
  ): Promise<number> {
    const rows = await sql<{ revoked: number }>(
      m,
      `
      WITH r AS (UPDATE invitations i SET revoked_at = $3 WHERE i.user_id = $2 AND ${OPEN} RETURNING 1),
           i AS (INSERT INTO invitations (id, user_id, requested_at, requested_by, door, space_group_id, space_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7))
      SELECT count(*)::int AS revoked FROM r`,
      [i.id, i.userId, i.requestedAt, i.requestedBy, i.door, i.space?.groupId ?? null, i.space?.name ?? null],
    );
    return rows[0].revoked;
  }

  /**
   * Inserts a link already issued and handed over (a set-password link the CLI prints: nothing for the worker to send)
   * and revokes the person's open invitations, in one statement; answers how many it revoked.
   */
  async insertIssued(
    m: EntityManager,
    i: {
      id: string;
      userId: string;
      at: Date;
      requestedBy: string | null;
      door: string;
      tokenHash: string;
      expiresAt: Date;
    },
    purpose: InvitationPurpose,
  ): Promise<number> {
    const rows = await sql<{ revoked: number }>(
      m,
      `
      WITH r AS (UPDATE invitations i SET revoked_at = $3 WHERE i.user_id = $2 AND ${OPEN} RETURNING 1),
           i AS (INSERT INTO invitations (id, user_id, requested_at, requested_by, door, token_hash, issued_at,
                                          expires_at, sent_at, attempts, purpose)
                 VALUES ($1, $2, $3, $4, $5, $6, $3, $7, $3, 1, $8))
      SELECT count(*)::int AS revoked FROM r`,
      [i.id, i.userId, i.at, i.requestedBy, i.door, i.tokenHash, i.expiresAt, purpose],
    );
    return rows[0].revoked;
  }

  async lock(m: EntityManager, id: string): Promise<Invitation | null> {
    const rows = await sql<InvitationRow>(m, `SELECT ${SELECT} FROM invitations i WHERE i.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  async lockByTokenHash(m: EntityManager, hash: string): Promise<Invitation | null> {
    const rows = await sql<InvitationRow>(m, `SELECT ${SELECT} FROM invitations i WHERE i.token_hash = $1 FOR UPDATE`, [
      hash,
    ]);
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  async findByTokenHash(m: EntityManager, hash: string): Promise<Invitation | null> {
    const rows = await sql<InvitationRow>(m, `SELECT ${SELECT} FROM invitations i WHERE i.token_hash = $1`, [hash]);
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /** The user's most recent invitation (what the admin sees): the last one asked for. */
  async latestOf(m: EntityManager, userId: string): Promise<Invitation | null> {
    const rows = await sql<InvitationRow>(
      m,
      `SELECT ${SELECT} FROM invitations i WHERE i.user_id = $1 ORDER BY i.seq DESC LIMIT 1`,
      [userId],
    );
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /** A new link for this invitation (each send replaces the token of an earlier attempt). */
  async find(m: EntityManager, id: string): Promise<Invitation | null> {
    const rows = await sql<InvitationRow>(m, `SELECT ${SELECT} FROM invitations i WHERE i.id = $1`, [id]);
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /**
   * A new link for this invitation (each send replaces the token of an earlier attempt), only while it is open and
   * its person live, active and not joined: checked by the statement itself, so a concurrent use or resend wins.
   */
  issue(id: string, tokenHash: string, issuedAt: Date, expiresAt: Date): Statement {
    return {
      text: `UPDATE invitations i SET token_hash = $2, issued_at = $3, expires_at = $4, attempts = i.attempts + 1
             WHERE i.id = $1 AND ${OPEN} AND ${invitableUser("i.user_id")}
             RETURNING i.id`,
      values: [id, tokenHash, issuedAt, expiresAt],
    };
  }

  markSent(id: string, channels: string[], at: Date): Statement {
    return {
      text: `UPDATE invitations SET sent_at = $3, channels = $2::text[] WHERE id = $1 RETURNING id`,
      values: [id, channels, at],
    };
  }

  markFailed(id: string, failure: string, at: Date): Statement {
    return {
      text: `UPDATE invitations SET failed_at = $3, failure = left($2, 500), token_hash = NULL WHERE id = $1 AND consumed_at IS NULL RETURNING id`,
      values: [id, failure, at],
    };
  }

  /** Undoes markFailed (a dead job retried by an admin): open again, to be issued a fresh link by the worker. */
  async revive(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE invitations SET failed_at = NULL, failure = NULL WHERE id = $1 AND failed_at IS NOT NULL AND consumed_at IS NULL AND revoked_at IS NULL`,
      [id],
    );
  }

  async consume(m: EntityManager, id: string, at: Date): Promise<void> {
    await sql(m, `UPDATE invitations SET consumed_at = $2 WHERE id = $1`, [id, at]);
  }
}
