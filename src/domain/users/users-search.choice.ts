import type { DataSource } from "typeorm";
import type { Statement } from "../effects";
import { withDb } from "../unit-of-work";
import type { SqlWhere } from "./users.repository";
import { liveUser } from "./users.fragments";
import {
  type PageShape,
  type UserSortField,
  candidatesStatement,
  pageStatement,
  walkStatement,
} from "./users-search.sql";
import type { UserSearchQuery } from "./users-search.types";
import { isNarrowed, searchTerms } from "./users-search.where";

/** A text query whose words match at most this many users is answered from all its matches, sorted (see candidatesStatement). */
export const TEXT_CANDIDATES_CAP = 20_000;
/**
 * The same for a query narrowed by status facets, entity or group whose matches PostgreSQL estimates at most this many:
 * it is answered from them, through the filter's index, instead of a walk of the sort order that may pass everyone else
 * first (a few thousand invited people whose names all sort after the rest). A common status goes straight to the walk.
 */
export const FILTER_CANDIDATES_CAP = 20_000;

/** How a search chooses: the two caps, and whether a text query may walk first (false: tests compare the two ways). */
export interface SearchChoice {
  textCap: number;
  filterCap: number;
  walks: boolean;
}

/**
 * The candidates (up to `cap`) when they are the way, and the page walking the sort order, run when there are no
 * candidates or more than the cap.
 */
export interface SearchStatements {
  candidates: Statement | null;
  page: Statement;
  cap: number;
}

/**
 * What passing over one user costs in a walk of each sort order, against 1 for reading one matching user from the
 * trigram index (a visit to the table, the text checked again, the match sorted). The userName order is read from a
 * covering index without visiting the table (migration 1764000000170): a fifth. createdAt and lastLoginAt visit the
 * table for every user passed over: as much as a candidate. The family name is part of the searched text, so a name
 * typed in the search sits in one place of the familyName order and a walk would pass everyone before it, which the
 * estimate below (matches spread evenly) cannot know: that order is never walked for a text query.
 */
export const WALK_ROW_COST: Readonly<Record<UserSortField, number>> = {
  userName: 0.2,
  createdAt: 1,
  lastLoginAt: 1,
  familyName: Number.POSITIVE_INFINITY,
};

/**
 * Whether a text query's page is cheaper found by walking the sort order (passing about `live / matches` users per
 * match until `limit + 1` are found: its cost follows how frequent the term is, whatever the population) than from all
 * its matches through the trigram index (cost: the matches). `matches` and `live` are PostgreSQL's estimates.
 */
export function walkIsCheaper(sort: UserSortField, limit: number, matches: number, live: number): boolean {
  const perRow = WALK_ROW_COST[sort];
  if (!Number.isFinite(perRow) || matches < 1) return false;
  const passed = ((limit + 1) * Math.max(live, matches)) / matches;
  return passed * perRow < matches;
}

interface PlanNode {
  "Plan Rows": number;
  Plans?: PlanNode[];
}

const explain = async (ds: DataSource, text: string, params: unknown[]): Promise<PlanNode> => {
  const [row] = (await withDb(() => ds.query(`EXPLAIN (FORMAT JSON) ${text}`, params))) as {
    "QUERY PLAN": { Plan: PlanNode }[];
  }[];
  return row["QUERY PLAN"][0].Plan;
};

/** PostgreSQL's estimate of the rows `where` (on `users u`) selects: planning only, nothing is read. */
export async function plannedRows(ds: DataSource, where: SqlWhere): Promise<number> {
  return (await explain(ds, `SELECT 1 FROM users u WHERE ${where.sql}`, where.params))["Plan Rows"];
}

/** PostgreSQL's estimates of the users `where` selects and of all live users, in one planning round trip. */
export async function plannedMatches(ds: DataSource, where: SqlWhere): Promise<{ matches: number; live: number }> {
  const plan = await explain(
    ds,
    `SELECT 1 FROM users u WHERE ${where.sql} UNION ALL SELECT 1 FROM users u WHERE ${liveUser("u")}`,
    where.params,
  );
  const [matches, live] = (plan.Plans ?? []).map((p) => p["Plan Rows"]);
  return { matches, live };
}

/**
 * The statements a search runs for `where` (on `users u`, from the query's filter): a text query walks the sort order when
 * PostgreSQL's estimate of its matches makes that cheaper, else is answered from its matches up to the text cap; a
 * narrowed query is answered from its matches when PostgreSQL estimates them at most the filter cap.
 */
export async function chooseStatements(
  ds: DataSource,
  query: UserSearchQuery,
  where: SqlWhere,
  shape: PageShape,
  choice: SearchChoice,
): Promise<SearchStatements> {
  if (searchTerms(query.filter.q).length > 0) {
    const walk = walkStatement(where, shape);
    if (choice.walks) {
      const { matches, live } = await plannedMatches(ds, where);
      if (walkIsCheaper(query.sort, query.limit, matches, live)) return { candidates: null, page: walk, cap: 0 };
    }
    return { candidates: candidatesStatement(where, shape, choice.textCap), page: walk, cap: choice.textCap };
  }
  const cap = isNarrowed(query.filter) && (await plannedRows(ds, where)) <= choice.filterCap ? choice.filterCap : 0;
  return {
    candidates: cap > 0 ? candidatesStatement(where, shape, cap) : null,
    page: pageStatement(where, shape),
    cap,
  };
}
