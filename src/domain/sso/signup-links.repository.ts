import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { isUuid } from "../ids";

export interface SignupLink {
  id: string;
  entityId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

const COLUMNS = `id, entity_id AS "entityId", expires_at AS "expiresAt", revoked_at AS "revokedAt", created_by AS "createdBy",
  created_at AS "createdAt"`;

/** Data access for `signup_links` (department sign-up links): SQL only; writes as Statements for the unit of work. */
export class SignupLinksRepository {
  async find(m: EntityManager, id: string): Promise<SignupLink | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<SignupLink>(m, `SELECT ${COLUMNS} FROM signup_links WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** An entity's links, newest first (at most 200: links are handed out by the handful). */
  async listFor(m: EntityManager, entityId: string): Promise<SignupLink[]> {
    return sql<SignupLink>(
      m,
      `SELECT ${COLUMNS} FROM signup_links WHERE entity_id = $1 ORDER BY created_at DESC, id LIMIT 200`,
      [entityId],
    );
  }

  insert(entityId: string, expiresAt: Date | null, createdBy: string | null): Statement {
    return {
      text: `INSERT INTO signup_links (entity_id, expires_at, created_by) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      values: [entityId, expiresAt, createdBy],
    };
  }

  /** Revokes a live link of this entity (a second revoke returns nothing). */
  revoke(entityId: string, id: string): Statement {
    return {
      text: `UPDATE signup_links SET revoked_at = now() WHERE id = $1 AND entity_id = $2 AND revoked_at IS NULL
             RETURNING ${COLUMNS}`,
      values: [id, entityId],
    };
  }
}
