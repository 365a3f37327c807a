import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface KeyRow {
  kid: string;
  alg: string;
  sealedPrivateJwk: string;
  retiredAt: Date | null;
}

/** SQL over `oidc_keys`: the one signing key (retired_at null) and the retired ones still published to verify. */
export class OidcKeysRepository {
  /** The signing key first, then the retired keys still verifying, newest first. */
  published(m: EntityManager): Promise<KeyRow[]> {
    return sql<KeyRow>(
      m,
      `SELECT kid, alg, sealed_private_jwk AS "sealedPrivateJwk", retired_at AS "retiredAt" FROM oidc_keys
       WHERE retired_at IS NULL OR verify_until > now() ORDER BY retired_at DESC NULLS FIRST, created_at DESC`,
    );
  }

  /** What changes when a key is added or retired, read often and cheaply by every replica to notice a rotation. */
  async version(m: EntityManager): Promise<string> {
    const rows = await sql<{ v: string | null }>(
      m,
      `SELECT string_agg(kid || ':' || (retired_at IS NULL)::text, ',' ORDER BY kid) AS v FROM oidc_keys
       WHERE retired_at IS NULL OR verify_until > now()`,
    );
    return rows[0]?.v ?? "";
  }

  /** Adds a signing key unless there is one (two replicas starting at once: one insert wins, the other adds nothing). */
  insertFirst(kid: string, alg: string, publicJwk: object, sealed: string): Statement {
    return {
      text: `INSERT INTO oidc_keys (kid, alg, public_jwk, sealed_private_jwk) VALUES ($1, $2, $3::jsonb, $4)
             ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING RETURNING kid`,
      values: [kid, alg, JSON.stringify(publicJwk), sealed],
    };
  }

  /** Retires the signing key: still published for `verifySeconds`, the longest a token it signed may live. */
  async retireSigning(m: EntityManager, verifySeconds: number): Promise<string | null> {
    const rows = await sql<{ kid: string }>(
      m,
      `UPDATE oidc_keys SET retired_at = now(), verify_until = now() + make_interval(secs => $1::int)
       WHERE retired_at IS NULL RETURNING kid`,
      [verifySeconds],
    );
    return rows[0]?.kid ?? null;
  }

  async lockAll(m: EntityManager): Promise<void> {
    await sql(m, `SELECT pg_advisory_xact_lock(hashtext('oidc_keys')) AS locked`);
  }
}
