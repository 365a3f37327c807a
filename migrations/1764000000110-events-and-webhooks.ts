import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The events feed and webhooks (issue 16, decisions 0120-0124).
 *
 * `events` (owner: src/domain/events): one row per platform-visible change, written by the change's own statement
 * (unit-of-work.ts) so it commits with it. Ordered by (xid, seq): `xid` is the writing transaction's id (xid8, never
 * wraps), `seq` the order inside it. The feed hands out only rows below the oldest running transaction
 * (pg_snapshot_xmin), so a transaction that commits late can never slip in behind a cursor already handed out.
 * Kept EVENTS_RETENTION_DAYS (the worker prunes by `time`, a BRIN index: it grows with insertion order), whatever the
 * outbox does.
 *
 * `webhooks`, `webhook_deliveries` (owner: src/domain/webhooks): endpoints with their sealed secrets, and one row per
 * (endpoint, event) fanned out by the worker's dispatcher from the feed, through its cursor in `webhook_dispatch`.
 */
export class EventsAndWebhooks1764000000110 implements MigrationInterface {
  name = "EventsAndWebhooks1764000000110";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        time timestamptz NOT NULL DEFAULT clock_timestamp(),
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        data jsonb NOT NULL,
        door text NOT NULL,
        actor jsonb NOT NULL,
        request_id text
      )`);
    await q.query(`CREATE UNIQUE INDEX events_order_idx ON events (xid, seq)`);
    await q.query(`CREATE INDEX events_time_brin ON events USING brin (time)`);

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_until timestamptz,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        subject_key text NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_at timestamptz NOT NULL DEFAULT now(),
        locked_by text,
        locked_until timestamptz,
        last_status integer,
        last_error text,
        last_duration_ms integer,
        last_response text,
        last_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_id)
      )`);
    // the claim walks pending rows in id order; a row goes only when it heads its (webhook, subject) queue
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (id) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_subject_idx ON webhook_deliveries (webhook_id, subject_key, id)
                   WHERE state = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, id DESC)`);
    await q.query(`CREATE INDEX webhook_deliveries_created_brin ON webhook_deliveries USING brin (created_at)`);
    // the dispatcher's position in the events feed: one row, locked by the one dispatcher at work
    await q.query(`
      CREATE TABLE webhook_dispatch (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        after_xid xid8 NOT NULL,
        after_seq bigint NOT NULL
      )`);
    // starts at the feed's present: events before the first webhook existed go to nobody anyway
    await q.query(`INSERT INTO webhook_dispatch (after_xid, after_seq) VALUES ('0'::xid8, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_dispatch`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE events`);
  }
}
