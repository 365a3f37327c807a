import { EntityManager } from "typeorm";
import { sql } from "../../db/sql";

export interface TokenRow {
  id: string;
  name: string;
  scope: "scim" | "admin" | "auditor";
  userId: string | null;
  createdAt: Date;
}

const COLUMNS = `id, name, scope, user_id AS "userId", created_at AS "createdAt"`;

/** Data access for `api_tokens`: SQL only, no rules. Only a hash of each token is stored; a revoked row is kept. */
export class TokensRepository {
  async findLiveByName(m: EntityManager, name: string): Promise<TokenRow | null> {
    const rows = await sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE name = $1 AND revoked_at IS NULL`, [name]);
    return rows[0] ?? null;
  }

  async findLiveByHash(m: EntityManager, tokenHash: string): Promise<TokenRow | null> {
    const rows = await sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
    return rows[0] ?? null;
  }

  /** A live name is unique (api_tokens_live_name_key): a second one is a unique violation, hence a ConflictError. */
  async insert(m: EntityManager, t: { name: string; scope: string; tokenHash: string; userId: string | null }): Promise<TokenRow> {
    const [row] = await sql<TokenRow>(m, `INSERT INTO api_tokens (name, scope, token_hash, user_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [t.name, t.scope, t.tokenHash, t.userId]);
    return row;
  }

  async listLive(m: EntityManager): Promise<TokenRow[]> {
    return sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id`);
  }

  async revoke(m: EntityManager, id: string, at: Date): Promise<void> {
    await sql(m, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, [id, at]);
  }
}
