import type { DataSource, EntityManager } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import type { Statement } from "../effects";
import type { EntitiesRepository } from "../entities/entities.repository";
import { InvalidError } from "../errors";
import { memberOfAnyGroup } from "../groups/groups.fragments";
import { withDb } from "../unit-of-work";
import type { MultiValue, SystemRole, UserSource } from "./user";
import type { SqlWhere } from "./users.repository";
import { liveUser } from "./users.fragments";
import { decodeCursor, encodeCursor, fingerprint } from "./users-search.cursor";
import { CONTACT_SQL, FACETS_SQL, type FacetFilter, facetCodes } from "./users-search.facets";
import { plannedMatches, plannedRows, walkIsCheaper } from "./users-search.choice";
import {
  type PageShape,
  SORTS,
  SUMMARY,
  type UserSortField,
  candidatesStatement,
  pageStatement,
  walkStatement,
} from "./users-search.sql";

export type { UserSortField } from "./users-search.sql";

/** What the admin search selects; every criterion given must hold. */
export interface UserSearchFilter extends FacetFilter {
  /** Words matched, each anywhere in the names, userName or emails, ignoring case and accents. */
  q?: string;
  entity?: string[];
  includeSubEntities?: boolean;
  /** Direct members of any of these groups (spaces). */
  group?: string[];
  /**
   * Has somewhere an invitation can go (an email address, a userName that is one, or a phone number). With
   * `enrolled: false`, `contact: false` is "no enrolment possible": nobody can send them a way in.
   */
  contact?: boolean;
}

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

/** A bounded count: exact up to the cap asked, else "more than `count`" and the planner's estimate. */
export interface UserCount {
  count: number;
  exact: boolean;
  estimate: number;
}

export interface UserSearchPage {
  items: UserSummary[];
  nextCursor: string | null;
}

export const MAX_TERMS = 8;

type SummaryRow = Omit<UserSummary, "email"> & { emails: MultiValue[]; sortKey: string; candidates?: number };

/** A text query whose words match at most this many users is answered from all its matches, sorted (see candidatesStatement). */
export const TEXT_CANDIDATES_CAP = 20_000;
/**
 * The same for a query narrowed by status facets, entity or group whose matches PostgreSQL estimates at most this many:
 * it is answered from them, through the filter's index, instead of a walk of the sort order that may pass everyone else
 * first (a few thousand invited people whose names all sort after the rest). A common status goes straight to the walk.
 */
export const FILTER_CANDIDATES_CAP = 20_000;

/**
 * The admin search over users: filters, sort and keyset pages, all in PostgreSQL. A text query is answered by walking
 * the sort order when PostgreSQL's estimate of its matches makes that cheaper (a frequent term: the walk stops after a
 * page, its cost set by how frequent the term is, not by the population), else from all its matches through the
 * trigram index when they are at most `textCap`, else by the walk (decision 0139). A query narrowed by status, entity or
 * group is answered from its matches when PostgreSQL estimates them at most `filterCap`; otherwise by the planner's
 * choice between walking the sort order and a filter's index. Statements are sent unnamed, so each is planned with its
 * values (a plan cached for a rare status would be slow for a common one). No count of the matches is shown.
 */
export class UsersSearch {
  constructor(
    private readonly ds: DataSource,
    private readonly entities: EntitiesRepository,
    private readonly textCap = TEXT_CANDIDATES_CAP,
    private readonly filterCap = FILTER_CANDIDATES_CAP,
    /** false: a text query never walks first (tests compare the two ways). */
    private readonly walks = true,
  ) {}

  async search(ctx: Ctx, query: UserSearchQuery): Promise<UserSearchPage> {
    const { candidates, page, cap } = await this.statements(ctx, query);
    let rows: SummaryRow[] | null = null;
    if (candidates) {
      const found = (await withDb(() => this.ds.query(candidates.text, candidates.values))) as SummaryRow[];
      if (found[0].candidates! <= cap) rows = found.filter((r) => r.id !== null);
    }
    rows ??= (await withDb(() => this.ds.query(page.text, page.values))) as SummaryRow[];
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > query.limit ? encodeCursor(searchFingerprint(query), { key: last.sortKey, id: last.id }) : null;
    return { items: items.map(toSummary), nextCursor };
  }

  /**
   * The statements `search` runs (tests EXPLAIN them): the candidates (up to the cap) when they are the way, and the
   * page walking the sort order, run when there are no candidates or more than the cap.
   */
  async statements(
    ctx: Ctx,
    query: UserSearchQuery,
  ): Promise<{ candidates: Statement | null; page: Statement; cap: number }> {
    const sort = SORTS[query.sort];
    const where = await this.where(ctx, query.filter);
    const after = query.cursor ? decodeCursor(query.cursor, searchFingerprint(query), sort.type) : undefined;
    const shape: PageShape = { sort, descending: query.descending, after, limit: query.limit };
    const f = query.filter;
    if (searchTerms(f.q).length > 0) {
      const walk = walkStatement(where, shape);
      if (this.walks) {
        const { matches, live } = await plannedMatches(this.ds, where);
        if (walkIsCheaper(query.sort, query.limit, matches, live)) return { candidates: null, page: walk, cap: 0 };
      }
      return { candidates: candidatesStatement(where, shape, this.textCap), page: walk, cap: this.textCap };
    }
    const narrowed =
      facetCodes(f) !== null || f.entity !== undefined || f.group !== undefined || f.contact !== undefined;
    const cap = narrowed && (await plannedRows(this.ds, where)) <= this.filterCap ? this.filterCap : 0;
    return {
      candidates: cap > 0 ? candidatesStatement(where, shape, cap) : null,
      page: pageStatement(where, shape),
      cap,
    };
  }

  /**
   * How many users a filter selects within the caller's scope, counted up to `cap` only (the rows past it are never
   * read, so a list of a million people costs what a page does): `exact` false means "more than `cap`", with
   * PostgreSQL's estimate of the whole (planning only) for an order of magnitude.
   */
  async countUpTo(ctx: Ctx, filter: UserSearchFilter, cap: number): Promise<UserCount> {
    const where = await this.where(ctx, filter);
    const [{ n }] = (await withDb(() =>
      this.ds.query(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM users u WHERE ${where.sql} LIMIT $${where.params.length + 1}) c`,
        [...where.params, cap + 1],
      ),
    )) as { n: number }[];
    if (n <= cap) return { count: n, exact: true, estimate: n };
    return { count: cap, exact: false, estimate: Math.max(cap + 1, Math.round(await plannedRows(this.ds, where))) };
  }

  /** Summaries of the given users within the caller's scope, in no particular order (a job's failures, by name). */
  async summariesOf(ctx: Ctx, ids: readonly string[]): Promise<UserSummary[]> {
    const where = await this.where(ctx, {}, 1);
    const rows = (await withDb(() =>
      this.ds.query(`SELECT ${SUMMARY} FROM users u WHERE u.id = ANY($1::uuid[]) AND ${where.sql}`, [
        [...ids],
        ...where.params,
      ]),
    )) as SummaryRow[];
    return rows.map(toSummary);
  }

  /** Ids of the users a filter selects within the caller's scope, in id order, at most `limit`. */
  async selectIds(ctx: Ctx, filter: UserSearchFilter, limit: number): Promise<string[]> {
    const where = await this.where(ctx, filter);
    const rows = (await withDb(() =>
      this.ds.query(`SELECT u.id FROM users u WHERE ${where.sql} ORDER BY u.id LIMIT $${where.params.length + 1}`, [
        ...where.params,
        limit,
      ]),
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The condition (on `users u`) for live users matching `f` within the caller's entity scope. Its parameters are
   * numbered from `$offset + 1`, so a statement can put its own first.
   */
  where(ctx: Ctx, f: UserSearchFilter, offset = 0): Promise<SqlWhere> {
    return this.whereOn(this.ds.manager, ctx, f, offset);
  }

  /** The same inside the caller's transaction (a job's selection, resolved as the job is created). */
  whereIn(tx: TxCtx, f: UserSearchFilter, offset = 0): Promise<SqlWhere> {
    return this.whereOn(tx.manager, tx, f, offset);
  }

  private async whereOn(m: EntityManager, ctx: Ctx, f: UserSearchFilter, offset: number): Promise<SqlWhere> {
    const conditions = [liveUser("u")];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${offset + params.push(v)}`;
    for (const term of searchTerms(f.q))
      conditions.push(`u.search_text LIKE roster_fold(${param(`%${escapeLike(term)}%`)})`);
    const codes = facetCodes(f);
    if (codes) conditions.push(codes.length ? `${FACETS_SQL} = ANY(${param(codes)}::int[])` : "false");
    if (f.contact !== undefined) conditions.push(`${CONTACT_SQL} = ${f.contact ? "true" : "false"}`);
    if (f.entity) {
      const ids = f.includeSubEntities ? await withDb(() => this.entities.subtreeIds(m, f.entity!)) : f.entity;
      conditions.push(`u.entity_id = ANY(${param(ids)}::uuid[])`);
    }
    if (f.group) conditions.push(memberOfAnyGroup("u.id", param(f.group)));
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

const searchFingerprint = (q: UserSearchQuery) =>
  fingerprint({ filter: q.filter, sort: q.sort, descending: q.descending });

function toSummary(r: SummaryRow): UserSummary {
  const { emails, sortKey: _key, candidates: _candidates, ...rest } = r;
  const email = (emails.find((e) => e.primary === true) ?? emails[0])?.value ?? null;
  return { ...rest, email: typeof email === "string" ? email : null };
}
