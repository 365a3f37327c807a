import type { Statement } from "../effects";
import type { SqlWhere } from "./users.repository";
import type { CursorPosition } from "./users-search.cursor";

export type UserSortField = "userName" | "familyName" | "createdAt" | "lastLoginAt";

export interface SortSpec {
  key: string;
  type: "text" | "timestamptz";
  /** userName is unique (case-insensitively): it needs no id to break ties. */
  unique: boolean;
}

/**
 * Sort keys, each served by an index (migrations 1764000000000/6). Keys are never null, so a keyset comparison holds:
 * a missing family name sorts as "", a user who never signed in as -infinity (last when the newest come first).
 */
export const SORTS: Record<UserSortField, SortSpec> = {
  userName: { key: "lower(u.user_name)", type: "text", unique: true },
  familyName: { key: "lower(coalesce(u.family_name, ''))", type: "text", unique: false },
  createdAt: { key: "u.created_at", type: "timestamptz", unique: false },
  lastLoginAt: { key: "coalesce(u.last_login_at, '-infinity'::timestamptz)", type: "timestamptz", unique: false },
};

export const SUMMARY = `u.id, u.user_name AS "userName", u.given_name AS "givenName", u.family_name AS "familyName", u.emails, u.active,
  u.source, u.external, u.entity_id AS "entityId", u.system_role AS role, u.invited_at AS "invitedAt", u.enrolled_at AS "enrolledAt",
  u.last_login_at AS "lastLoginAt", u.created_at AS "createdAt"`;

export interface PageShape {
  sort: SortSpec;
  descending: boolean;
  after?: CursorPosition;
  limit: number;
}

/** Adds the keyset condition (rows after `after` in the sort order) on `key`/`id`; returns the SQL and the values. */
function keyset(shape: PageShape, key: string, id: string, values: unknown[], idNeeded: boolean): string {
  if (!shape.after) return "true";
  const op = shape.descending ? "<" : ">";
  values.push(shape.after.key);
  const k = `$${values.length}::${shape.sort.type}`;
  if (!idNeeded) return `${key} ${op} ${k}`;
  values.push(shape.after.id);
  return `(${key}, ${id}) ${op} (${k}, $${values.length}::uuid)`;
}

/**
 * The page walking the sort order: the planner picks the index (the sort index with the filters checked row by row,
 * or a filter's index and a sort of what it found). to_json prints a timestamp in ISO 8601 whatever the DateStyle.
 */
export function pageStatement(where: SqlWhere, shape: PageShape): Statement {
  const { key, unique } = shape.sort;
  const values = [...where.params];
  const after = keyset(shape, key, "u.id", values, !unique);
  const dir = shape.descending ? "DESC" : "ASC";
  values.push(shape.limit + 1);
  return {
    text: `SELECT ${SUMMARY}, to_json(${key}) #>> '{}' AS "sortKey" FROM users u
           WHERE ${where.sql} AND ${after} ORDER BY ${key} ${dir}${unique ? "" : `, u.id ${dir}`} LIMIT $${values.length}`,
    values,
  };
}

/**
 * The page for a text query, from its candidates: at most `cap` + 1 users matching the filter, found through the
 * trigram index, then sorted. Walking the sort order instead is slow when the matches cluster in that order (every
 * Dupont sits at "D" when sorting by family name). `candidates` (on every row, and on a lone row of nulls when the
 * page is empty) says whether the cap was reached: then the caller uses pageStatement instead.
 */
export function candidatesStatement(where: SqlWhere, shape: PageShape, cap: number): Statement {
  const { key } = shape.sort;
  const values = [...where.params, cap + 1];
  const capParam = `$${values.length}`;
  const after = keyset(shape, "m.k", "m.id", values, true);
  const dir = shape.descending ? "DESC" : "ASC";
  values.push(shape.limit + 1);
  return {
    text: `WITH m AS MATERIALIZED (SELECT u.id, ${key} AS k FROM users u WHERE ${where.sql} LIMIT ${capParam}),
                p AS (SELECT m.id, m.k FROM m WHERE ${after} ORDER BY m.k ${dir}, m.id ${dir} LIMIT $${values.length})
           SELECT (SELECT count(*) FROM m)::int AS candidates, ${SUMMARY}, to_json(p.k) #>> '{}' AS "sortKey"
           FROM (SELECT 1) one LEFT JOIN (p JOIN users u ON u.id = p.id) ON true
           ORDER BY p.k ${dir}, p.id ${dir}`,
    values,
  };
}

/**
 * The page walking the sort order for a frequent text term: the walk keeps the matches and stops after one page, so
 * its cost follows how frequent the term is, not how many users there are. Only the id and the key come out of the
 * walk (for userName, read from its covering index alone: migration 1764000000170); the page's rows are then read by
 * id.
 */
export function walkStatement(where: SqlWhere, shape: PageShape): Statement {
  const { key, unique } = shape.sort;
  const values = [...where.params];
  const after = keyset(shape, key, "u.id", values, !unique);
  const dir = shape.descending ? "DESC" : "ASC";
  values.push(shape.limit + 1);
  return {
    text: `WITH p AS (SELECT u.id, ${key} AS k FROM users u WHERE ${where.sql} AND ${after}
                      ORDER BY ${key} ${dir}${unique ? "" : `, u.id ${dir}`} LIMIT $${values.length})
           SELECT ${SUMMARY}, to_json(p.k) #>> '{}' AS "sortKey" FROM p JOIN users u ON u.id = p.id
           ORDER BY p.k ${dir}${unique ? "" : `, p.id ${dir}`}`,
    values,
  };
}
