import { SELECT } from "./user-rows";
import { liveUser } from "./users.fragments";
import type { ListQuery, SqlWhere } from "./users.repository";

/** List statements by their short shape key (filter SQL, order, direction), built once each; bounded. */
const LIST_TEXTS = new Map<string, { page: string; count: string }>();
const MAX_LIST_TEXTS = 512;

export function listTexts(q: ListQuery, filter: SqlWhere | undefined, seek: boolean): { page: string; count: string } {
  const dir = q.descending ? "DESC" : "ASC";
  const key = `${dir}\u0000${seek}\u0000${q.orderBy ?? ""}\u0000${filter?.sql ?? ""}`;
  const known = LIST_TEXTS.get(key);
  if (known) return known;
  const n = filter?.params.length ?? 0;
  const where = `${liveUser("u")}${filter ? ` AND (${filter.sql})` : ""}`;
  const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}u.created_at ${dir}, u.id ${dir}`;
  // Seeking (user-list.tallies.ts), the walk starts at the page's creation minute.
  const start = seek ? ` AND u.created_at >= to_timestamp($${n + 3})` : "";
  const texts = {
    // Deferred join: OFFSET walks ids only (an index-only scan when the order is creation time),
    // and full rows are fetched by primary key for the page alone.
    page: `SELECT ${SELECT} FROM users u WHERE u.id = ANY(ARRAY(
           SELECT u.id FROM users u WHERE ${where}${start} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}))
         ORDER BY ${order}`,
    count: `SELECT count(*)::int AS count FROM users u WHERE ${where}`,
  };
  if (LIST_TEXTS.size < MAX_LIST_TEXTS) LIST_TEXTS.set(key, texts);
  return texts;
}
