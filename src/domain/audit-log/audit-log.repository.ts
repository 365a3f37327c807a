import type { EntityManager } from "typeorm";
import { userInEntities } from "../users/users.fragments";
import type { AuditFilter, AuditOrder, AuditRecord } from "./audit-log";

interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  door: string;
  action: string;
  targetType: string;
  targetId: string | null;
  changes: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

const COLUMNS = `s.seq, a.id, a.at, a.actor_type AS "actorType", a.actor_id AS "actorId", a.actor_name AS "actorName", a.door,
  a.action, a.target_type AS "targetType", a.target_id AS "targetId", a.changes, a.request_id AS "requestId",
  s.prev_hash AS "prevHash", s.hash`;

export interface Slice {
  filter: AuditFilter;
  /** Entity ids the reader is limited to (records about users of those entities only); null = everything. */
  entityScope: readonly string[] | null;
  order: AuditOrder;
  /** Continue after this id (exclusive), in `order`. */
  afterId?: number;
  /** Inclusive upper bound on id (an export stops at what was sealed when it started). */
  maxId?: number;
  limit: number;
}

/**
 * Reads of sealed audit records (`audit_events` joined to `audit_seals`), filtered and keyset-paged on id: records are
 * sealed in id order, so the sealed ones are every committed record up to the head's sealed_through. The SQL varies
 * with the filters, so it is not prepared.
 */
export class AuditLogRepository {
  async slice(m: EntityManager, s: Slice): Promise<AuditRecord[]> {
    const { text, params } = sliceStatement(s);
    const rows: AuditRow[] = await m.query(text, params);
    return rows.map(toRecord);
  }

  /** Every id at or below this is sealed (or belongs to no committed record). */
  async sealedThrough(m: EntityManager): Promise<number> {
    const rows: { through: string }[] = await m.query(`SELECT sealed_through AS through FROM audit_chain_head`);
    return Number(rows[0]?.through ?? 0);
  }
}

/** The SELECT for one slice (exported for the query-plan tests). */
export function sliceStatement(s: Slice): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  // Unsealed records (no seal yet) are not in the chain: a reader seals before it reads (AuditSealer.sealPending).
  const where = conditions(s.filter, p);
  if (s.entityScope) {
    // Users are the only records a scoped reader is told about, judged by the user's entity now.
    where.push(
      `a.target_type = 'user' AND ${userInEntities("(CASE WHEN a.target_type = 'user' THEN a.target_id END)::uuid", p(s.entityScope))}`,
    );
  }
  if (s.afterId !== undefined) where.push(`a.id ${s.order === "desc" ? "<" : ">"} ${p(s.afterId)}`);
  if (s.maxId !== undefined) where.push(`a.id <= ${p(s.maxId)}`);
  const text = `SELECT ${COLUMNS} FROM audit_events a JOIN audit_seals s ON s.id = a.id
    ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY a.id ${s.order === "desc" ? "DESC" : "ASC"} LIMIT ${p(s.limit)}`;
  return { text, params };
}

function conditions(f: AuditFilter, p: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (f.actor !== undefined) {
    const v = p(f.actor);
    where.push(`(a.actor_id = ${v} OR lower(a.actor_name) = lower(${v}))`);
  }
  if (f.door !== undefined) where.push(`a.door = ${p(f.door)}`);
  if (f.action !== undefined) where.push(`(a.action COLLATE "C") = ${p(f.action)}`);
  if (f.actionPrefix !== undefined) {
    where.push(
      `(a.action COLLATE "C") >= ${p(f.actionPrefix)} AND (a.action COLLATE "C") < ${p(prefixEnd(f.actionPrefix))}`,
    );
  }
  if (f.userId !== undefined) where.push(`a.target_type = 'user' AND a.target_id = ${p(f.userId)}`);
  if (f.groupId !== undefined) where.push(`a.target_type = 'group' AND a.target_id = ${p(f.groupId)}`);
  if (f.from !== undefined) where.push(`a.at >= ${p(f.from)}`);
  if (f.to !== undefined) where.push(`a.at < ${p(f.to)}`);
  return where;
}

/** The smallest string above every string starting with `prefix` (in code point order, as the C collation sorts UTF-8). */
export function prefixEnd(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!;
  return chars.join("") + String.fromCodePoint(last.codePointAt(0)! + 1);
}

function toRecord(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    id: Number(r.id),
    at: r.at,
    actor: { type: r.actorType, id: r.actorId, name: r.actorName },
    door: r.door,
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    changes: r.changes,
    requestId: r.requestId,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
