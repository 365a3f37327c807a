import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "audit_events" })
export class AuditEventRow {
  @PrimaryGeneratedColumn({ type: "bigint" }) id: string;
  @Column({ type: "timestamptz", default: () => "now()" }) at: Date;
  @Column({ name: "actor_type", type: "text" }) actorType: string;
  @Column({ name: "actor_id", type: "text", nullable: true }) actorId: string | null;
  @Column({ name: "actor_name", type: "text", nullable: true }) actorName: string | null;
  @Column({ type: "text" }) door: string;
  @Column({ type: "text" }) action: string;
  @Column({ name: "target_type", type: "text" }) targetType: string;
  @Column({ name: "target_id", type: "text", nullable: true }) targetId: string | null;
  @Column({ type: "jsonb" }) changes: Record<string, unknown>;
  @Column({ name: "request_id", type: "text", nullable: true }) requestId: string | null;
  // NULL until roster_audit_seal chains the record (migrations/1764000000011-audit-seal-after-commit.ts); never set by the application.
  @Column({ type: "bigint", nullable: true, insert: false, update: false }) seq: string | null;
  @Column({ name: "prev_hash", type: "text", nullable: true, insert: false, update: false }) prevHash: string | null;
  @Column({ type: "text", nullable: true, insert: false, update: false }) hash: string | null;
}
