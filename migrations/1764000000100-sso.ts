import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Company SSO and self sign-up (issue 15, decisions 0115-0119), every table owned by src/domain/sso:
 * - sso_connections: a company IdP Roster is a relying party of; the issuer's discovered metadata is kept, so a
 *   sign-in does not rediscover; the client secret only sealed (secret-box, purpose "sso.client_secret").
 * - sso_links: once linked, a person is found by (issuer, subject) only, whatever their email becomes.
 * - sso_login_states: state, nonce and PKCE verifier of a sign-in under way, bound to the provider's interaction;
 *   taken once (DELETE ... RETURNING), so a replayed callback finds nothing; any replica serves the callback.
 * - signup_links: department sign-up links (signed URLs an admin hands out as QR codes), expiring and revocable.
 */
export class Sso1764000000100 implements MigrationInterface {
  name = "Sso1764000000100";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sso_connections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      issuer text NOT NULL,
      client_id text NOT NULL,
      client_secret_sealed text NOT NULL,
      scopes text[] NOT NULL,
      link_claim text,
      trust_email boolean NOT NULL DEFAULT false,
      jit jsonb NOT NULL,
      claim_mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
      server_metadata jsonb NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX sso_connections_name_lower_key ON sso_connections (lower(name))`);
    await q.query(`CREATE TABLE sso_links (
      issuer text NOT NULL,
      subject text NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      connection_id uuid REFERENCES sso_connections(id) ON DELETE SET NULL,
      linked_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (issuer, subject)
    )`);
    // One link per person and issuer: a second subject of the same IdP claiming the same person is a conflict.
    await q.query(`CREATE UNIQUE INDEX sso_links_issuer_user_key ON sso_links (issuer, user_id)`);
    await q.query(`CREATE INDEX sso_links_user_idx ON sso_links (user_id)`);
    await q.query(`CREATE TABLE sso_login_states (
      state text PRIMARY KEY,
      connection_id uuid NOT NULL REFERENCES sso_connections(id) ON DELETE CASCADE,
      interaction_uid text NOT NULL,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX sso_login_states_expires_idx ON sso_login_states (expires_at)`);
    await q.query(`CREATE TABLE signup_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      entity_id uuid NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
      expires_at timestamptz,
      revoked_at timestamptz,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX signup_links_entity_idx ON signup_links (entity_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signup_links`);
    await q.query(`DROP TABLE sso_login_states`);
    await q.query(`DROP TABLE sso_links`);
    await q.query(`DROP TABLE sso_connections`);
  }
}
