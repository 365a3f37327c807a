import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface TokenRow {
  id: string;
  name: string;
  scope: "scim" | "admin" | "auditor";
  userId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, name, scope, user_id AS "userId", created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

/**
 * Data access for `api_tokens`: SQL only, no rules. Only a hash of each token is stored; a revoked row is kept. Writes
 * come back as Statements for the unit of work (writeIn), which adds their audit records.
 */
export class TokensRepository {
  async findLiveByName(m: EntityManager, name: string): Promise<TokenRow | null> {
    const rows = await sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE name = $1 AND revoked_at IS NULL`, [
      name,
    ]);
    return rows[0] ?? null;
  }

  async findLiveByHash(m: EntityManager, tokenHash: string): Promise<TokenRow | null> {
    const rows = await sql<TokenRow>(
      m,
      `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** A live name is unique (api_tokens_live_name_key): a second one is a unique violation, hence a ConflictError. */
  insert(id: string, t: { name: string; scope: string; tokenHash: string; userId: string | null }): Statement {
    return {
      text: `INSERT INTO api_tokens (id, name, scope, token_hash, user_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      values: [id, t.name, t.scope, t.tokenHash, t.userId],
    };
  }

  async listLive(m: EntityManager): Promise<TokenRow[]> {
    return sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id`);
  }

  async findLive(m: EntityManager, id: string): Promise<TokenRow | null> {
    const rows = await sql<TokenRow>(m, `SELECT ${COLUMNS} FROM api_tokens WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return rows[0] ?? null;
  }

  /** Stamps a token's last use, unless another process stamped it less than a minute ago (decision 0149). */
  async touch(m: EntityManager, id: string): Promise<void> {
    await sql(
      m,
      `UPDATE api_tokens SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  revoke(id: string, at: Date): Statement {
    return { text: `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 RETURNING id`, values: [id, at] };
  }
}
