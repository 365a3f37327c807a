import type { MigrationInterface, QueryRunner } from "typeorm";

/** Users, API tokens, the audit log and the outbox: the spine every later module hangs on. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = "InitialSchema1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_name          text NOT NULL,
        external_id        text,
        name_formatted     text,
        given_name         text,
        family_name        text,
        middle_name        text,
        honorific_prefix   text,
        honorific_suffix   text,
        display_name       text,
        nick_name          text,
        profile_url        text,
        title              text,
        user_type          text,
        preferred_language text,
        locale             text,
        timezone           text,
        active             boolean NOT NULL DEFAULT true,
        emails             jsonb NOT NULL DEFAULT '[]',
        phone_numbers      jsonb NOT NULL DEFAULT '[]',
        extras             jsonb NOT NULL DEFAULT '{}',
        employee_number    text,
        cost_center        text,
        organization       text,
        division           text,
        department         text,
        manager_id         text,
        password_hash      text,
        source             text NOT NULL CHECK (source IN ('scim', 'admin', 'csv', 'jit', 'signup')),
        source_ref         text,
        removed_at         timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        version            integer NOT NULL DEFAULT 1
      )`);
    // userName is unique case-insensitively, including accounts an IdP removed (they come back on re-create).
    await q.query(`CREATE UNIQUE INDEX users_user_name_lower_key ON users (lower(user_name))`);
    await q.query(`CREATE INDEX users_external_id_idx ON users (external_id)`);
    await q.query(`CREATE INDEX users_live_created_at_id_idx ON users (created_at, id) WHERE removed_at IS NULL`);
    await q.query(`CREATE INDEX users_updated_at_idx ON users (updated_at)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL,
        scope        text NOT NULL CHECK (scope IN ('scim', 'admin', 'auditor')),
        token_hash   text NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_tokens_live_name_key ON api_tokens (name) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE audit_events (
        id          bigserial PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        actor_type  text NOT NULL,
        actor_id    text,
        actor_name  text,
        door        text NOT NULL CHECK (door IN ('scim', 'admin', 'auth', 'system', 'cli')),
        action      text NOT NULL,
        target_type text NOT NULL,
        target_id   text,
        changes     jsonb NOT NULL DEFAULT '{}',
        request_id  text
      )`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id)`);
    await q.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);

    await q.query(`
      CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        topic        text NOT NULL,
        payload      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        attempts     integer NOT NULL DEFAULT 0,
        processed_at timestamptz,
        last_error   text
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE processed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
