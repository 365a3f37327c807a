import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indexes for GET /admin/v1/audit: each filter followed by `seq`, so "newest first, filtered" walks one index range
 * backwards and stops after a page. `action` is indexed in the C collation so a prefix (`user.`) is a plain range.
 * The target index replaces the spine's (target_type, target_id, id): pages and exports order by seq, not id.
 */
export class AuditFilterIndexes1764000000009 implements MigrationInterface {
  name = "AuditFilterIndexes1764000000009";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_events_target_seq_idx ON audit_events (target_type, target_id, seq)`);
    await q.query(`DROP INDEX audit_events_target_idx`);
    await q.query(`CREATE INDEX audit_events_actor_id_seq_idx ON audit_events (actor_id, seq)`);
    await q.query(`CREATE INDEX audit_events_actor_name_seq_idx ON audit_events (lower(actor_name), seq)`);
    await q.query(`CREATE INDEX audit_events_door_seq_idx ON audit_events (door, seq)`);
    await q.query(`CREATE INDEX audit_events_action_seq_idx ON audit_events ((action COLLATE "C"), seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_action_seq_idx`);
    await q.query(`DROP INDEX audit_events_door_seq_idx`);
    await q.query(`DROP INDEX audit_events_actor_name_seq_idx`);
    await q.query(`DROP INDEX audit_events_actor_id_seq_idx`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id)`);
    await q.query(`DROP INDEX audit_events_target_seq_idx`);
  }
}
