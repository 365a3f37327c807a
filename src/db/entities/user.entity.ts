import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export interface MultiValue {
  value?: string;
  display?: string;
  type?: string;
  primary?: boolean;
  [key: string]: unknown;
}

/** Row of `users`. Column types are explicit: tsx/esbuild emit no decorator metadata. */
@Entity({ name: "users" })
export class UserRow {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ name: "user_name", type: "text" }) userName: string;
  @Column({ name: "external_id", type: "text", nullable: true }) externalId: string | null;
  @Column({ name: "name_formatted", type: "text", nullable: true }) nameFormatted: string | null;
  @Column({ name: "given_name", type: "text", nullable: true }) givenName: string | null;
  @Column({ name: "family_name", type: "text", nullable: true }) familyName: string | null;
  @Column({ name: "middle_name", type: "text", nullable: true }) middleName: string | null;
  @Column({ name: "honorific_prefix", type: "text", nullable: true }) honorificPrefix: string | null;
  @Column({ name: "honorific_suffix", type: "text", nullable: true }) honorificSuffix: string | null;
  @Column({ name: "display_name", type: "text", nullable: true }) displayName: string | null;
  @Column({ name: "nick_name", type: "text", nullable: true }) nickName: string | null;
  @Column({ name: "profile_url", type: "text", nullable: true }) profileUrl: string | null;
  @Column({ name: "title", type: "text", nullable: true }) title: string | null;
  @Column({ name: "user_type", type: "text", nullable: true }) userType: string | null;
  @Column({ name: "preferred_language", type: "text", nullable: true }) preferredLanguage: string | null;
  @Column({ name: "locale", type: "text", nullable: true }) locale: string | null;
  @Column({ name: "timezone", type: "text", nullable: true }) timezone: string | null;
  @Column({ name: "active", type: "boolean" }) active: boolean;
  @Column({ name: "emails", type: "jsonb" }) emails: MultiValue[];
  @Column({ name: "phone_numbers", type: "jsonb" }) phoneNumbers: MultiValue[];
  /** addresses, ims, photos, entitlements, roles, x509Certificates: kept as sent. */
  @Column({ name: "extras", type: "jsonb" }) extras: Record<string, unknown[]>;
  @Column({ name: "employee_number", type: "text", nullable: true }) employeeNumber: string | null;
  @Column({ name: "cost_center", type: "text", nullable: true }) costCenter: string | null;
  @Column({ name: "organization", type: "text", nullable: true }) organization: string | null;
  @Column({ name: "division", type: "text", nullable: true }) division: string | null;
  @Column({ name: "department", type: "text", nullable: true }) department: string | null;
  @Column({ name: "manager_id", type: "text", nullable: true }) managerId: string | null;
  @Column({ name: "password_hash", type: "text", nullable: true, select: false }) passwordHash: string | null;
  @Column({ name: "source", type: "text" }) source: string;
  @Column({ name: "source_ref", type: "text", nullable: true }) sourceRef: string | null;
  @Column({ name: "removed_at", type: "timestamptz", nullable: true }) removedAt: Date | null;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt: Date;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt: Date;
  @Column({ name: "version", type: "integer" }) version: number;
}
