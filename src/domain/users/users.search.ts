import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import { withDb } from "../unit-of-work";
import type { SqlWhere } from "./users.repository";
import {
  FILTER_CANDIDATES_CAP,
  type SearchStatements,
  TEXT_CANDIDATES_CAP,
  chooseStatements,
} from "./users-search.choice";
import { countUpTo } from "./users-search.count";
import { decodeCursor, encodeCursor, fingerprint } from "./users-search.cursor";
import { type PageShape, SORTS, SUMMARY } from "./users-search.sql";
import {
  type SummaryRow,
  type UserCount,
  type UserSearchFilter,
  type UserSearchPage,
  type UserSearchQuery,
  type UserSummary,
  toSummary,
} from "./users-search.types";
import { searchWhere } from "./users-search.where";

export type { UserSortField } from "./users-search.sql";
export type {
  UserCount,
  UserSearchFilter,
  UserSearchPage,
  UserSearchQuery,
  UserSummary,
} from "./users-search.types";

/**
 * The admin search over users: filters, sort and keyset pages, all in PostgreSQL. A text query is answered by walking
 * the sort order when PostgreSQL's estimate of its matches makes that cheaper (a frequent term: the walk stops after a
 * page, its cost set by how frequent the term is, not by the population), else from all its matches through the
 * trigram index when they are at most `textCap`, else by the walk (decision 0139). A query narrowed by status, entity or
 * group is answered from its matches when PostgreSQL estimates them at most `filterCap`; otherwise by the planner's
 * choice between walking the sort order and a filter's index. Statements are sent unnamed, so each is planned with its
 * values (a plan cached for a rare status would be slow for a common one). No count of the matches is shown.
 * The parts: the filter's condition (users-search.where.ts), the choice of statements (users-search.choice.ts), the
 * statements (users-search.sql.ts), the bounded count (users-search.count.ts).
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
  async statements(ctx: Ctx, query: UserSearchQuery): Promise<SearchStatements> {
    const sort = SORTS[query.sort];
    const where = await this.where(ctx, query.filter);
    const after = query.cursor ? decodeCursor(query.cursor, searchFingerprint(query), sort.type) : undefined;
    const shape: PageShape = { sort, descending: query.descending, after, limit: query.limit };
    const { textCap, filterCap, walks } = this;
    return chooseStatements(this.ds, query, where, shape, { textCap, filterCap, walks });
  }

  /**
   * How many users a filter selects within the caller's scope, counted up to `cap` only: `exact` false means "more
   * than `cap`", with PostgreSQL's estimate of the whole (users-search.count.ts).
   */
  async countUpTo(ctx: Ctx, filter: UserSearchFilter, cap: number): Promise<UserCount> {
    return countUpTo(this.ds, await this.where(ctx, filter), cap);
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
    return searchWhere(this.ds.manager, this.entities, ctx, f, offset);
  }

  /** The same inside the caller's transaction (a job's selection, resolved as the job is created). */
  whereIn(tx: TxCtx, f: UserSearchFilter, offset = 0): Promise<SqlWhere> {
    return searchWhere(tx.manager, this.entities, tx, f, offset);
  }
}

const searchFingerprint = (q: UserSearchQuery) =>
  fingerprint({ filter: q.filter, sort: q.sort, descending: q.descending });
