import type { Door } from "../context";

/** One audit record as readers see it. */
export interface AuditRecord {
  seq: number;
  id: number;
  at: Date;
  actor: { type: string; id: string | null; name: string | null };
  door: string;
  action: string;
  target: { type: string; id: string | null };
  changes: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export const DOORS: readonly Door[] = ["scim", "admin", "auth", "system", "cli", "import", "console"];

/** What to select; every field is optional and they combine with AND. */
export interface AuditFilter {
  /** Actor id, or actor name (case-insensitive). */
  actor?: string;
  door?: Door;
  /** Exact action, e.g. `user.updated`. */
  action?: string;
  /** Action prefix, e.g. `user.` */
  actionPrefix?: string;
  /** Records about this user (target). */
  userId?: string;
  /** Records about this group (target). */
  groupId?: string;
  /** `at` >= from. */
  from?: Date;
  /** `at` < to. */
  to?: Date;
}

export type AuditOrder = "desc" | "asc";

export interface AuditPageRequest {
  order: AuditOrder;
  /** Continue after this id (exclusive), in `order`. */
  afterId?: number;
  limit: number;
}

export interface AuditPage {
  records: AuditRecord[];
  /** id to continue after, or null when there was nothing more at the time of the read. */
  nextAfterId: number | null;
}
