import { SELECT } from "./user-rows";
import { liveUser } from "./users.fragments";
import type { ListQuery, SqlWhere } from "./users.repository";

/** List statements by their short shape key (filter SQL, order, direction), built once each; bounded. */
const LIST_TEXTS = new Map<string, { page: string; count: string }>();
const MAX_LIST_TEXTS = 512;

/**
 * `steady`: the page walks the creation order's index whatever the page (default order, no filter or `active`), so its
 * LIMIT and OFFSET are given as one-row sub-selects, whose values no plan sees. PostgreSQL then costs every page as a
 * tenth of the walk, in a plan made for the request's values as in the generic one, and keeps the generic plan after
 * five runs at every population. With plain parameters the plans made for the values cost LIMIT 50 and the generic one
 * a tenth of the walk: past some 50,000 rows to walk the generic plan looked costlier, and the page was planned again
 * at every request (0.3-0.7 ms of PostgreSQL's CPU each at 1,000,000 users, none at 10,000: decision 0154).
 */
export function listTexts(
  q: ListQuery,
  filter: SqlWhere | undefined,
  seek: boolean,
  steady: boolean,
): { page: string; count: string } {
  const dir = q.descending ? "DESC" : "ASC";
  const key = `${dir}\u0000${seek}\u0000${steady}\u0000${q.orderBy ?? ""}\u0000${filter?.sql ?? ""}`;
  const known = LIST_TEXTS.get(key);
  if (known) return known;
  const n = filter?.params.length ?? 0;
  const where = `${liveUser("u")}${filter ? ` AND (${filter.sql})` : ""}`;
  const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}u.created_at ${dir}, u.id ${dir}`;
  // Seeking (user-list.tallies.ts), the walk starts at the page's creation minute; steady, that start is hidden from the
  // planner too (read, it made the plans for the values cheaper than the generic one at a million users, as above).
  const from = steady ? `(SELECT $${n + 3}::float8)` : `$${n + 3}`;
  const start = seek ? ` AND u.created_at >= to_timestamp(${from})` : "";
  const limit = steady ? `(SELECT $${n + 1}::bigint)` : `$${n + 1}`;
  const offset = steady ? `(SELECT $${n + 2}::bigint)` : `$${n + 2}`;
  const texts = {
    // Deferred join: OFFSET walks ids only (an index-only scan when the order is creation time),
    // and full rows are fetched by primary key for the page alone.
    page: `SELECT ${SELECT} FROM users u WHERE u.id = ANY(ARRAY(
           SELECT u.id FROM users u WHERE ${where}${start} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}))
         ORDER BY ${order}`,
    count: `SELECT count(*)::int AS count FROM users u WHERE ${where}`,
  };
  if (LIST_TEXTS.size < MAX_LIST_TEXTS) LIST_TEXTS.set(key, texts);
  return texts;
}
