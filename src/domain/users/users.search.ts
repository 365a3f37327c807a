import { DataSource, EntityManager } from "typeorm";
import { Ctx } from "../context";
import { Statement } from "../effects";
import { InvalidError } from "../errors";
import { withDb } from "../transaction";
import { MultiValue, SystemRole, UserSource } from "./user";
import { SqlWhere } from "./users.repository";
import { decodeCursor, encodeCursor, fingerprint } from "./users-search.cursor";
import { FACETS_SQL, FacetFilter, facetCodes } from "./users-search.facets";

/** What the admin search selects; every criterion given must hold. */
export interface UserSearchFilter extends FacetFilter {
  /** Words matched, each anywhere in the names, userName or emails, ignoring case and accents. */
  q?: string;
  entity?: string[];
  includeSubEntities?: boolean;
}

export type UserSortField = "userName" | "familyName" | "createdAt" | "lastLoginAt";

export interface UserSearchQuery {
  filter: UserSearchFilter;
  sort: UserSortField;
  descending: boolean;
  cursor?: string;
  limit: number;
}

export interface UserSummary {
  id: string;
  userName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  active: boolean;
  source: UserSource;
  external: boolean;
  entityId: string | null;
  role: SystemRole;
  invitedAt: Date | null;
  enrolledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export interface UserSearchPage {
  items: UserSummary[];
  nextCursor: string | null;
}

export const MAX_TERMS = 8;

/**
 * Sort keys, each served by an index (migrations 1764000000000/6). Keys are never null, so a keyset comparison holds:
 * a missing family name sorts as "", a user who never signed in as -infinity (last when the newest come first).
 * userName is unique (case-insensitively), so it needs no id to break ties.
 */
const SORTS: Record<UserSortField, { key: string; type: "text" | "timestamptz"; unique: boolean }> = {
  userName: { key: "lower(u.user_name)", type: "text", unique: true },
  familyName: { key: "lower(coalesce(u.family_name, ''))", type: "text", unique: false },
  createdAt: { key: "u.created_at", type: "timestamptz", unique: false },
  lastLoginAt: { key: "coalesce(u.last_login_at, '-infinity'::timestamptz)", type: "timestamptz", unique: false },
};

const SUMMARY = `u.id, u.user_name AS "userName", u.given_name AS "givenName", u.family_name AS "familyName", u.emails, u.active,
  u.source, u.external, u.entity_id AS "entityId", u.system_role AS role, u.invited_at AS "invitedAt", u.enrolled_at AS "enrolledAt",
  u.last_login_at AS "lastLoginAt", u.created_at AS "createdAt"`;

type SummaryRow = Omit<UserSummary, "email"> & { emails: MultiValue[]; sortKey: string };

/**
 * The admin search over users: filters, sort and keyset pages, all in PostgreSQL. Statements are sent unnamed, so
 * each is planned with its values: a rare word is best found through the trigram index, a common one by walking the
 * sort order, and a plan cached for one would be slow for the other.
 */
export class UsersSearch {
  constructor(private readonly ds: DataSource) {}

  async search(ctx: Ctx, query: UserSearchQuery): Promise<UserSearchPage> {
    const page = await this.pageStatement(ctx, query);
    const rows = (await withDb(() => this.ds.query(page.text, page.values))) as SummaryRow[];
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit ? encodeCursor(searchFingerprint(query), { key: last.sortKey, id: last.id }) : null;
    return { items: items.map(toSummary), nextCursor };
  }

  /** The page statement as `search` runs it (tests EXPLAIN it). */
  async pageStatement(ctx: Ctx, query: UserSearchQuery): Promise<Statement> {
    const sort = SORTS[query.sort];
    const where = await this.where(ctx, query.filter);
    const values = [...where.params];
    const conditions = [where.sql];
    const [dir, op] = query.descending ? ["DESC", "<"] : ["ASC", ">"];
    if (query.cursor) {
      const at = decodeCursor(query.cursor, searchFingerprint(query), sort.type);
      values.push(at.key);
      if (sort.unique) {
        conditions.push(`${sort.key} ${op} $${values.length}::${sort.type}`);
      } else {
        values.push(at.id);
        conditions.push(`(${sort.key}, u.id) ${op} ($${values.length - 1}::${sort.type}, $${values.length}::uuid)`);
      }
    }
    values.push(query.limit + 1);
    const order = sort.unique ? `${sort.key} ${dir}` : `${sort.key} ${dir}, u.id ${dir}`;
    return {
      // to_json prints timestamps in ISO 8601 whatever the session's DateStyle, and exactly (microseconds).
      text: `SELECT ${SUMMARY}, to_json(${sort.key}) #>> '{}' AS "sortKey" FROM users u
             WHERE ${conditions.join(" AND ")} ORDER BY ${order} LIMIT $${values.length}`,
      values,
    };
  }

  /** Ids of the users a filter selects within the caller's scope, in id order, at most `limit`. */
  async selectIds(ctx: Ctx, filter: UserSearchFilter, limit: number): Promise<string[]> {
    const where = await this.where(ctx, filter);
    const rows = (await withDb(() => this.ds.query(
      `SELECT u.id FROM users u WHERE ${where.sql} ORDER BY u.id LIMIT $${where.params.length + 1}`, [...where.params, limit]))) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The condition (on `users u`) for live users matching `f` within the caller's entity scope. Its parameters are
   * numbered from `$offset + 1`, so a statement can put its own first.
   */
  async where(ctx: Ctx, f: UserSearchFilter, offset = 0, m: EntityManager = this.ds.manager): Promise<SqlWhere> {
    const conditions = ["u.removed_at IS NULL"];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${offset + params.push(v)}`;
    for (const term of searchTerms(f.q)) conditions.push(`u.search_text LIKE roster_fold(${param(`%${escapeLike(term)}%`)})`);
    const codes = facetCodes(f);
    if (codes) conditions.push(codes.length ? `${FACETS_SQL} = ANY(${param(codes)}::int[])` : "false");
    if (f.entity) {
      const ids = f.includeSubEntities ? await withDb(() => subEntities(m, f.entity!)) : f.entity;
      conditions.push(`u.entity_id = ANY(${param(ids)}::uuid[])`);
    }
    // A scoped admin reaches users of their entities only; users without an entity are out of their reach.
    if (ctx.entityScope) conditions.push(`u.entity_id = ANY(${param([...ctx.entityScope])}::uuid[])`);
    return { sql: conditions.join(" AND "), params };
  }
}

/** The words of `q`, each matched on its own (so "dupont jean" finds Jean Dupont). */
export function searchTerms(q: string | undefined): string[] {
  const terms = [...new Set((q ?? "").trim().split(/\s+/).filter(Boolean))];
  if (terms.length > MAX_TERMS) throw new InvalidError("q", `at most ${MAX_TERMS} words`);
  return terms;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const searchFingerprint = (q: UserSearchQuery) => fingerprint({ filter: q.filter, sort: q.sort, descending: q.descending });

async function subEntities(m: EntityManager, roots: string[]): Promise<string[]> {
  const [row] = (await m.query(
    `WITH RECURSIVE s AS (SELECT id FROM entities WHERE id = ANY($1::uuid[])
                          UNION SELECT e.id FROM entities e JOIN s ON e.parent_id = s.id)
     SELECT coalesce(array_agg(id), '{}') AS ids FROM s`, [roots])) as { ids: string[] }[];
  return row.ids;
}

function toSummary(r: SummaryRow): UserSummary {
  const { emails, sortKey: _key, ...rest } = r;
  const email = (emails.find((e) => e.primary === true) ?? emails[0])?.value ?? null;
  return { ...rest, email: typeof email === "string" ? email : null };
}
