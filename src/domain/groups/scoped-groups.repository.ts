import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { entitiesJoin } from "../entities/entities.fragments";
import { liveUserProbe, liveUsersJoin } from "../users/users.fragments";
import type { GroupSummary, MemberSummary } from "./group-views";

const GROUP = `g.id AS "id", g.display_name AS "displayName", g.external_id AS "externalId", g.created_at AS "createdAt",
  g.updated_at AS "updatedAt", g.version AS "version", lower(g.display_name) AS "key"`;

/**
 * A group's members counted along group_members' primary key. The inner ORDER BY is that key's order, so the count
 * walks the index: without it, a group holding most of group_members' rows (an "everyone" group) made the planner expect
 * that many rows for every group and scan the whole table once per listed group (30 empty groups: ~440 ms, not ~3 ms).
 */
const MEMBER_COUNT = `(SELECT count(*)::int FROM (SELECT FROM group_members gm WHERE gm.group_id = g.id ORDER BY gm.user_id) m) AS "memberCount"`;

/**
 * For an actor limited to some entities ($n is the scope): the groups of `pageSql`, each with its live members placed in
 * the scope, counted in one pass from the people of the scope (their memberships through group_members' user_id index)
 * rather than once per group.
 */
const withScopedCounts = (pageSql: string, scopeParam: number) => `WITH page AS (${pageSql}),
  counts AS (SELECT gm.group_id, count(*)::int AS n FROM group_members gm ${liveUsersJoin("u", "u.id = gm.user_id", scopeParam)}
             WHERE gm.group_id IN (SELECT id FROM page) GROUP BY gm.group_id)
  SELECT page.*, COALESCE(counts.n, 0) AS "memberCount" FROM page LEFT JOIN counts ON counts.group_id = page.id ORDER BY page.key`;

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

/** Groups in lower(displayName) order (the unique index on it is the keyset), `limit` of them at most. */
export function groupsPageStatement(q: GroupsPageQuery): Statement {
  const values: unknown[] = [];
  const where: string[] = [];
  const scopeParam = q.scope === null ? null : values.push(q.scope);
  if (q.pattern !== null) where.push(`lower(g.display_name) LIKE $${values.push(q.pattern)}`);
  if (q.after !== null) where.push(`lower(g.display_name) > $${values.push(q.after)}`);
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const order = `ORDER BY lower(g.display_name) LIMIT $${values.push(q.limit)}`;
  const text =
    scopeParam === null
      ? `SELECT ${GROUP}, ${MEMBER_COUNT} FROM groups g ${filter} ${order}`
      : withScopedCounts(`SELECT ${GROUP} FROM groups g ${filter} ${order}`, scopeParam);
  return { text, values };
}

/**
 * Members after `after` in user-id order: a walk of group_members' primary key from the cursor, each member's user row
 * fetched by its own primary key and kept when live (and within the scope) until `limit` are found. `OFFSET 0` keeps the
 * user lookup a per-member probe: joined plainly, a group holding most of group_members' rows made the planner
 * merge-join with users from the first id rather than from the cursor (90,000 rows read for one deep page).
 */
export function membersPageStatement(
  groupId: string,
  after: string | null,
  limit: number,
  scope: readonly string[] | null,
): Statement {
  return {
    text: `SELECT u.id AS "id", u.user_name AS "userName", u.display_name AS "displayName", u.given_name AS "givenName",
        u.family_name AS "familyName", ${PRIMARY_EMAIL} AS "email", u.active AS "active", u.entity_id AS "entityId",
        en.name AS "entityName", gm.added_at AS "addedAt"
      FROM group_members gm
      CROSS JOIN ${liveUserProbe("u", "gm.user_id", scope === null ? undefined : 4)}
      LEFT ${entitiesJoin("en", "en.id = u.entity_id")}
      WHERE gm.group_id = $1 AND gm.user_id > $2::uuid
      ORDER BY gm.user_id LIMIT $3`,
    values: [groupId, after ?? "00000000-0000-0000-0000-000000000000", limit, ...(scope === null ? [] : [scope])],
  };
}

/** Read SQL of the admin door's group views; the writes go through GroupsService, like every door's. */
export class ScopedGroupsRepository {
  async groupsPage(m: EntityManager, q: GroupsPageQuery): Promise<(GroupSummary & { key: string })[]> {
    const st = groupsPageStatement(q);
    return sql(m, st.text, st.values);
  }

  async group(m: EntityManager, id: string, scope: readonly string[] | null): Promise<GroupSummary | null> {
    const rows = await sql<GroupSummary>(
      m,
      scope === null
        ? `SELECT ${GROUP}, ${MEMBER_COUNT} FROM groups g WHERE g.id = $1`
        : withScopedCounts(`SELECT ${GROUP} FROM groups g WHERE g.id = $1`, 2),
      scope === null ? [id] : [id, scope],
    );
    return rows[0] ?? null;
  }

  async membersPage(
    m: EntityManager,
    groupId: string,
    after: string | null,
    limit: number,
    scope: readonly string[] | null,
  ): Promise<MemberSummary[]> {
    const st = membersPageStatement(groupId, after, limit, scope);
    const rows = await sql<MemberRow>(m, st.text, st.values);
    return rows.map(({ entityId, entityName, ...r }) => ({
      ...r,
      entity: entityId ? { id: entityId, name: entityName ?? "" } : null,
    }));
  }

  /** Which of `ids` name groups (a read: the writes check again under the lock). */
  /** Groups by display name (lower-cased, as the unique index compares them): lower(name) -> id, for the names found. */
  async idsByName(m: EntityManager, names: string[]): Promise<Map<string, string>> {
    const rows = await sql<{ id: string; key: string }>(
      m,
      `SELECT g.id, lower(g.display_name) AS key FROM groups g WHERE lower(g.display_name) = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((r) => [r.key, r.id]));
  }
  async existingGroups(m: EntityManager, ids: string[]): Promise<Set<string>> {
    const rows = await sql<{ id: string }>(m, `SELECT g.id FROM groups g WHERE g.id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }
}
