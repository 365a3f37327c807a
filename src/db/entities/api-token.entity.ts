import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "api_tokens" })
export class ApiTokenRow {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text" }) scope: "scim" | "admin" | "auditor";
  @Column({ name: "token_hash", type: "text" }) tokenHash: string;
  @Column({ name: "created_at", type: "timestamptz", default: () => "now()" }) createdAt: Date;
  @Column({ name: "user_id", type: "uuid", nullable: true }) userId: string | null;
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true }) revokedAt: Date | null;
}
