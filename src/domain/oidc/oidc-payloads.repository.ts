import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";

/** One stored object of oidc-provider (a session, grant, code, token, interaction...), as its adapter sees it. */
export interface StoredPayload {
  payload: Record<string, unknown>;
  /** When it was consumed (epoch seconds), or null. */
  consumed: number | null;
}

/** SQL over `oidc_payloads`: the provider's state, keyed by (model, id), looked up by grant, uid, user code or account. */
export class OidcPayloadsRepository {
  async upsert(m: EntityManager, model: string, id: string, payload: Record<string, unknown>, expiresIn: number) {
    await sql(
      m,
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, CASE WHEN $8::int > 0 THEN now() + make_interval(secs => $8::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, account_id = EXCLUDED.account_id,
         expires_at = EXCLUDED.expires_at`,
      [
        model,
        id,
        JSON.stringify(payload),
        str(payload.grantId),
        str(payload.userCode),
        str(payload.uid),
        str(payload.accountId),
        Math.max(0, Math.ceil(expiresIn || 0)),
      ],
    );
  }

  async find(m: EntityManager, model: string, column: "id" | "uid" | "user_code", value: string) {
    const rows = await sql<StoredPayload>(
      m,
      `SELECT payload, floor(extract(epoch FROM consumed_at))::int AS consumed FROM oidc_payloads
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
      [model, value],
    );
    return rows[0] ?? null;
  }

  async consume(m: EntityManager, model: string, id: string): Promise<void> {
    await sql(m, `UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 RETURNING id`, [model, id]);
  }

  async destroy(m: EntityManager, model: string, id: string): Promise<void> {
    await sql(m, `DELETE FROM oidc_payloads WHERE model = $1 AND id = $2 RETURNING id`, [model, id]);
  }

  async revokeByGrantId(m: EntityManager, grantId: string): Promise<void> {
    await sql(m, `DELETE FROM oidc_payloads WHERE grant_id = $1 RETURNING id`, [grantId]);
  }

  /**
   * The clients a person has grants with, and the per-client session ids (`sid`, the ID tokens' claim) of their live
   * sessions, for back-channel logout.
   */
  async grantsOf(m: EntityManager, accountId: string): Promise<{ clientId: string; sids: string[] }[]> {
    return sql<{ clientId: string; sids: string[] }>(
      m,
      `SELECT g.payload->>'clientId' AS "clientId",
              coalesce(array_agg(DISTINCT s.payload->'authorizations'->(g.payload->>'clientId')->>'sid')
                FILTER (WHERE s.payload->'authorizations'->(g.payload->>'clientId')->>'sid' IS NOT NULL), '{}') AS sids
       FROM oidc_payloads g
       LEFT JOIN oidc_payloads s ON s.model = 'Session' AND s.account_id = g.account_id
       WHERE g.model = 'Grant' AND g.account_id = $1 AND g.payload->>'clientId' IS NOT NULL
       GROUP BY 1`,
      [accountId],
    );
  }

  /** Everything the provider keeps for a person: sessions, grants, codes, access and refresh tokens. */
  async deleteAccount(m: EntityManager, accountId: string): Promise<number> {
    const rows = await sql(
      m,
      `DELETE FROM oidc_payloads WHERE account_id = $1
         OR grant_id IN (SELECT id FROM oidc_payloads WHERE model = 'Grant' AND account_id = $1) RETURNING id`,
      [accountId],
    );
    return rows.length;
  }

  /** Rows past their expiry (kept a day: a consumed code replayed late is then still seen as consumed). */
  async pruneExpired(m: EntityManager, limit: number): Promise<number> {
    const rows = await sql(
      m,
      `DELETE FROM oidc_payloads WHERE ctid IN (
         SELECT ctid FROM oidc_payloads WHERE expires_at < now() - interval '1 day' LIMIT $1) RETURNING id`,
      [limit],
    );
    return rows.length;
  }
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
