import { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { GroupSummary, MemberSummary } from "./affiliation";

const GROUP = `g.id AS "id", g.display_name AS "displayName", g.external_id AS "externalId", g.created_at AS "createdAt",
  g.updated_at AS "updatedAt", g.version AS "version", lower(g.display_name) AS "key"`;

/**
 * Members counted through group_members' primary key (an index-only scan), or, for an actor limited to some entities,
 * only the live ones placed in those entities ($n is the scope).
 */
const memberCount = (scopeParam: number | null) => scopeParam === null
  ? `(SELECT count(*)::int FROM group_members gm WHERE gm.group_id = g.id) AS "memberCount"`
  : `(SELECT count(*)::int FROM group_members gm JOIN users u ON u.id = gm.user_id
      WHERE gm.group_id = g.id AND u.removed_at IS NULL AND u.entity_id = ANY($${scopeParam}::uuid[])) AS "memberCount"`;

const PRIMARY_EMAIL = `COALESCE((SELECT e->>'value' FROM jsonb_array_elements(u.emails) e WHERE e->'primary' = 'true'::jsonb LIMIT 1), u.emails->0->>'value')`;

type MemberRow = Omit<MemberSummary, "entity"> & { entityId: string | null; entityName: string | null };

export interface GroupsPageQuery {
  /** Lower-cased LIKE pattern on displayName (already escaped), or none. */
  pattern: string | null;
  /** The lower-cased displayName the previous page ended at (displayNames are unique case-insensitively). */
  after: string | null;
  limit: number;
  scope: readonly string[] | null;
}

/** Read SQL of the admin door's group views; the writes go through GroupsService, like every door's. */
export class AffiliationsRepository {
  /** Groups in lower(displayName) order (the unique index on it is the keyset), `limit` of them at most. */
  async groupsPage(m: EntityManager, q: GroupsPageQuery): Promise<(GroupSummary & { key: string })[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const scopeParam = q.scope === null ? null : params.push(q.scope);
    if (q.pattern !== null) where.push(`lower(g.display_name) LIKE $${params.push(q.pattern)}`);
    if (q.after !== null) where.push(`lower(g.display_name) > $${params.push(q.after)}`);
    return sql(m, `SELECT ${GROUP}, ${memberCount(scopeParam)} FROM groups g
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY lower(g.display_name) LIMIT $${params.push(q.limit)}`, params);
  }

  async group(m: EntityManager, id: string, scope: readonly string[] | null): Promise<GroupSummary | null> {
    const rows = await sql<GroupSummary>(m, `SELECT ${GROUP}, ${memberCount(scope === null ? null : 2)} FROM groups g WHERE g.id = $1`,
      scope === null ? [id] : [id, scope]);
    return rows[0] ?? null;
  }

  /** Members after `after` in user-id order: a keyset walk of group_members' primary key, filtered to the scope. */
  async membersPage(m: EntityManager, groupId: string, after: string | null, limit: number, scope: readonly string[] | null): Promise<MemberSummary[]> {
    const scoped = scope === null ? "" : "AND u.entity_id = ANY($4::uuid[])";
    const rows = await sql<MemberRow>(m,
      `SELECT u.id AS "id", u.user_name AS "userName", u.display_name AS "displayName", u.given_name AS "givenName",
         u.family_name AS "familyName", ${PRIMARY_EMAIL} AS "email", u.active AS "active", u.entity_id AS "entityId",
         en.name AS "entityName", gm.added_at AS "addedAt"
       FROM group_members gm JOIN users u ON u.id = gm.user_id LEFT JOIN entities en ON en.id = u.entity_id
       WHERE gm.group_id = $1 AND gm.user_id > $2::uuid AND u.removed_at IS NULL ${scoped}
       ORDER BY gm.user_id LIMIT $3`,
      [groupId, after ?? "00000000-0000-0000-0000-000000000000", limit, ...(scope === null ? [] : [scope])]);
    return rows.map(({ entityId, entityName, ...r }) => ({ ...r, entity: entityId ? { id: entityId, name: entityName ?? "" } : null }));
  }

  /**
   * Which of `ids` (distinct uuids) are live people within the scope, share-locked for the caller's transaction (after
   * the group's lock, like a SCIM PATCH): they can be neither removed nor moved out of the scope before it commits.
   */
  async lockReachableUsers(m: EntityManager, ids: string[], scope: readonly string[] | null): Promise<Set<string>> {
    const scoped = scope === null ? "" : "AND u.entity_id = ANY($2::uuid[])";
    const rows = await sql<{ id: string }>(m,
      `SELECT u.id FROM users u WHERE u.id = ANY($1::uuid[]) AND u.removed_at IS NULL ${scoped} ORDER BY u.id FOR SHARE`,
      scope === null ? [ids] : [ids, scope]);
    return new Set(rows.map((r) => r.id));
  }

  /** Which of `ids` name groups (a read: the writes check again under the lock). */
  async existingGroups(m: EntityManager, ids: string[]): Promise<Set<string>> {
    const rows = await sql<{ id: string }>(m, `SELECT g.id FROM groups g WHERE g.id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }
}
