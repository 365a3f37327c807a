import { createHash } from "node:crypto";
import { NOT_A_CURSOR, encodeJsonCursor, jsonCursor } from "../../domain/cursor";
import { isUuid } from "../../domain/ids";
import type { Keyset, KeysetPage, KeysetPosition } from "../../domain/keyset";
import type { ListQuery } from "../../domain/users/users.repository";
import { ScimError } from "./scim-errors";

/** A cursor-paged list request (RFC 9865 §2): which page, and the query the cursor must belong to. */
export interface CursorRequest {
  keyset: Keyset;
  query: string;
}

/** What a cursor carries, base64url-encoded by the kernel codec: the query's fingerprint, a direction, a row's position. */
interface CursorText {
  q: string;
  d: "a" | "b";
  t: string;
  i: string;
  s?: string | null;
}

/** PostgreSQL's text of a timestamptz, as the list query reads created_at. */
const TIMESTAMP = /^\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

/** Which query a cursor belongs to (RFC 9865 §2: the same query, only the cursor changes): type, filter, its values, sort. */
export function queryFingerprint(resource: string, q: ListQuery): string {
  const text = JSON.stringify([
    resource,
    q.where?.sql ?? null,
    q.where?.params ?? [],
    q.orderBy ?? null,
    q.descending ?? false,
  ]);
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/**
 * The `cursor` parameter (RFC 9865 §2): empty asks for the first page; otherwise a nextCursor or previousCursor of the
 * same query. A cursor this API did not return, or one of another filter, sort or resource type, is a 400 invalidCursor.
 */
export function parseCursor(cursor: unknown, query: string, sorted: boolean): CursorRequest {
  if (typeof cursor !== "string") throw new ScimError(400, "invalidCursor", "cursor must be given once, as a string");
  if (cursor === "") return { keyset: { position: null, direction: "after" }, query };
  const c = jsonCursor(cursor) as Partial<CursorText> | null;
  if (!c || typeof c !== "object" || Array.isArray(c) || typeof c.q !== "string")
    throw new ScimError(400, "invalidCursor", `cursor ${NOT_A_CURSOR}`);
  if (c.q !== query) {
    throw new ScimError(
      400,
      "invalidCursor",
      "cursor belongs to another query: keep filter, sortBy and sortOrder as they were on its first page",
    );
  }
  const sortOk = sorted ? c.s === null || typeof c.s === "string" : c.s === undefined;
  if (
    (c.d !== "a" && c.d !== "b") ||
    typeof c.t !== "string" ||
    !TIMESTAMP.test(c.t) ||
    typeof c.i !== "string" ||
    !isUuid(c.i) ||
    !sortOk
  ) {
    throw new ScimError(400, "invalidCursor", `cursor ${NOT_A_CURSOR}`);
  }
  const position: KeysetPosition = { createdAt: c.t, id: c.i, ...(sorted ? { sort: c.s ?? null } : {}) };
  return { keyset: { position, direction: c.d === "a" ? "after" : "before" }, query };
}

const encode = (query: string, d: "a" | "b", p: KeysetPosition): string =>
  encodeJsonCursor({
    q: query,
    d,
    t: p.createdAt,
    i: p.id,
    ...(p.sort !== undefined ? { s: p.sort } : {}),
  } satisfies CursorText);

/**
 * nextCursor and previousCursor of a page (RFC 9865 §2): nextCursor is left out on the last page only;
 * previousCursor is given whenever rows may lie before the page (none before the first page).
 */
export function pageCursors(
  req: CursorRequest,
  page: KeysetPage<unknown>,
): { nextCursor?: string; previousCursor?: string } {
  const { position, direction } = req.keyset;
  const first = page.positions[0] ?? position;
  const last = page.positions[page.positions.length - 1] ?? position;
  const hasNext = direction === "after" ? page.more : last !== null;
  const hasPrevious = direction === "before" ? page.more : position !== null && first !== null;
  return {
    ...(hasNext && last ? { nextCursor: encode(req.query, "a", last) } : {}),
    ...(hasPrevious && first ? { previousCursor: encode(req.query, "b", first) } : {}),
  };
}
