import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Roster's OpenID Provider (decision 0110): its state in PostgreSQL so any replica serves any step.
 * - oidc_payloads: what oidc-provider's adapter stores (sessions, grants, codes, tokens, interactions), one row per
 *   (model, id), the payload as JSON, and the columns the adapter looks rows up by (grant, user code, uid, the account
 *   for a leaver's sessions); expired rows are pruned by expires_at.
 * - oidc_keys: the signing keys, private parts sealed (secret-box, purpose "oidc.key"); the newest unretired one signs,
 *   retired ones are still published (they verify tokens signed before) until verify_until.
 * - oidc_clients: the platform's clients (first-party), their secret sealed (purpose "oidc.client").
 */
export class OpenIdProvider1764000000090 implements MigrationInterface {
  name = "OpenIdProvider1764000000090";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE oidc_payloads (
      model text NOT NULL,
      id text NOT NULL,
      payload jsonb NOT NULL,
      grant_id text,
      user_code text,
      uid text,
      account_id text,
      expires_at timestamptz,
      consumed_at timestamptz,
      PRIMARY KEY (model, id)
    )`);
    await q.query(`CREATE INDEX oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (uid) WHERE uid IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (user_code) WHERE user_code IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payloads_account_idx ON oidc_payloads (account_id) WHERE account_id IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payloads_expires_idx ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL`);

    await q.query(`CREATE TABLE oidc_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      public_jwk jsonb NOT NULL,
      sealed_private_jwk text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      verify_until timestamptz
    )`);
    // At most one signing key at a time: two replicas creating the first key at once cannot both succeed.
    await q.query(`CREATE UNIQUE INDEX oidc_keys_one_signing_key ON oidc_keys ((true)) WHERE retired_at IS NULL`);

    await q.query(`CREATE TABLE oidc_clients (
      client_id text PRIMARY KEY,
      name text NOT NULL,
      sealed_secret text NOT NULL,
      redirect_uris text[] NOT NULL,
      post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
      backchannel_logout_uri text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX oidc_clients_name_key ON oidc_clients (lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oidc_clients`);
    await q.query(`DROP TABLE oidc_keys`);
    await q.query(`DROP TABLE oidc_payloads`);
  }
}
