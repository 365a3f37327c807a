import { NOT_A_CURSOR } from "./cursor";
import { InvalidError } from "./errors";

/**
 * Keyset pages (RFC 9865 cursor paging): a page starts strictly after (or ends strictly before) the position of a row
 * the client was shown, so its cost does not grow with depth, and rows inserted meanwhile never shift it. A list is
 * ordered by [sort NULLS LAST,] created_at, id (ascending or descending); a position is those values of one row, as
 * text that round-trips exactly (timestamps to the microsecond). Names no table: each owner gives its expressions.
 */
export interface KeysetPosition {
  /** The sort expression's value as text (null when the row has none); absent when the list has no sortBy. */
  sort?: string | null;
  /** created_at as PostgreSQL's text of it. */
  createdAt: string;
  id: string;
}

/** Which page: the first (no position), the one after a position, or the one before it, in the list's order. */
export interface Keyset {
  position: KeysetPosition | null;
  direction: "after" | "before";
}

/** A keyset page as a repository returns it: the rows in list order, their positions, whether more lie beyond. */
export interface KeysetPage<T> {
  rows: T[];
  positions: KeysetPosition[];
  /** More rows lie past the page in the direction it was fetched. */
  more: boolean;
}

export interface KeysetColumns {
  /** Trusted SQL of the sort attribute, if the list has a sortBy. */
  sort?: string;
  createdAt: string;
  id: string;
}

/**
 * The condition and ORDER BY of a keyset page, parameters from $`firstParam`. The rows come in scan order:
 * `reversed` says they must be reversed to be in the list's order (a page before a position is read backwards).
 */
export function keysetSql(
  cols: KeysetColumns,
  descending: boolean,
  keyset: Keyset,
  firstParam: number,
): { where: string; order: string; params: unknown[]; reversed: boolean } {
  const forward = keyset.direction === "after";
  const ascending = forward !== descending;
  const op = ascending ? ">" : "<";
  const dir = ascending ? "ASC" : "DESC";
  const order = `${cols.sort ? `${cols.sort} ${dir} NULLS ${forward ? "LAST" : "FIRST"}, ` : ""}${cols.createdAt} ${dir}, ${cols.id} ${dir}`;
  const p = keyset.position;
  if (!p) return { where: "TRUE", order, params: [], reversed: !forward };
  const at = `$${firstParam}::timestamptz`;
  const id = `$${firstParam + 1}::uuid`;
  const tail = `(${cols.createdAt}, ${cols.id}) ${op} (${at}, ${id})`;
  if (!cols.sort) return { where: tail, order, params: [p.createdAt, p.id], reversed: !forward };
  const s = `$${firstParam + 2}`;
  // Rows without a sort value come last in the list's order (NULLS LAST), ordered among themselves by the tail.
  const where =
    p.sort === null || p.sort === undefined
      ? forward
        ? `(${cols.sort} IS NULL AND ${tail})`
        : `(${cols.sort} IS NOT NULL OR ${tail})`
      : `((${cols.sort}, ${cols.createdAt}, ${cols.id}) ${op} (${s}, ${at}, ${id})${forward ? ` OR ${cols.sort} IS NULL` : ""})`;
  const params = p.sort === null || p.sort === undefined ? [p.createdAt, p.id] : [p.createdAt, p.id, p.sort];
  return { where, order, params, reversed: !forward };
}

/** The page from `limit + 1` rows fetched in scan order: the extra row only says that more lie beyond. */
export function keysetPage<T>(
  fetched: T[],
  limit: number,
  reversed: boolean,
  positionOf: (row: T) => KeysetPosition,
): KeysetPage<T> {
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (reversed) rows.reverse();
  return { rows, positions: rows.map(positionOf), more };
}

/**
 * Runs a keyset page's statement: a position the database cannot read back (a hand-made cursor's timestamp or sort
 * value of the wrong type, SQLSTATE class 22) is the client's bad cursor, not a server fault.
 */
export async function readKeysetPage<T>(keyset: Keyset, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (keyset.position && typeof code === "string" && code.startsWith("22"))
      throw new InvalidError("cursor", NOT_A_CURSOR);
    throw e;
  }
}
