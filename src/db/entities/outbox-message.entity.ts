import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "outbox" })
export class OutboxMessageRow {
  @PrimaryGeneratedColumn({ type: "bigint" }) id: string;
  @Column({ type: "text" }) topic: string;
  @Column({ type: "jsonb" }) payload: Record<string, unknown>;
  @Column({ name: "created_at", type: "timestamptz", default: () => "now()" }) createdAt: Date;
  @Column({ name: "available_at", type: "timestamptz", default: () => "now()" }) availableAt: Date;
  @Column({ type: "integer", default: 0 }) attempts: number;
  @Column({ name: "processed_at", type: "timestamptz", nullable: true }) processedAt: Date | null;
  @Column({ name: "last_error", type: "text", nullable: true }) lastError: string | null;
  @Column({ name: "locked_until", type: "timestamptz", nullable: true }) lockedUntil: Date | null;
  @Column({ name: "locked_by", type: "text", nullable: true }) lockedBy: string | null;
  @Column({ name: "dead_at", type: "timestamptz", nullable: true }) deadAt: Date | null;
}
