import type { DataSource } from "typeorm";
import { withDb } from "../unit-of-work";
import type { SqlWhere } from "./users.repository";
import { plannedRows } from "./users-search.choice";
import type { UserCount } from "./users-search.types";

/**
 * How many users `where` (on `users u`) selects, counted up to `cap` only (the rows past it are never read, so a list
 * of a million people costs what a page does): `exact` false means "more than `cap`", with PostgreSQL's estimate of
 * the whole (planning only) for an order of magnitude.
 */
export async function countUpTo(ds: DataSource, where: SqlWhere, cap: number): Promise<UserCount> {
  const [{ n }] = (await withDb(() =>
    ds.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM users u WHERE ${where.sql} LIMIT $${where.params.length + 1}) c`,
      [...where.params, cap + 1],
    ),
  )) as { n: number }[];
  if (n <= cap) return { count: n, exact: true, estimate: n };
  return { count: cap, exact: false, estimate: Math.max(cap + 1, Math.round(await plannedRows(ds, where))) };
}
