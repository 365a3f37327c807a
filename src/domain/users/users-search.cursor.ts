import { createHash } from "node:crypto";
import { InvalidError } from "../errors";
import { NOT_A_CURSOR, encodeJsonCursor, jsonCursor } from "../cursor";
import { isUuid } from "../ids";

/** Where a page ended: the sort key of its last row (as PostgreSQL printed it) and that row's id. */
export interface CursorPosition {
  key: string;
  id: string;
}

interface CursorBody {
  /** Fingerprint of the sort and filters the cursor was made for. */
  f: string;
  k: string;
  i: string;
}

const TIMESTAMP = /^(-?infinity|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d(:\d\d)?))$/;

/** A short fingerprint of what a search asks for; a cursor only continues the search it came from. */
export function fingerprint(what: unknown): string {
  return createHash("sha256").update(canonical(what)).digest("base64url").slice(0, 16);
}

/** An opaque base64url cursor. */
export function encodeCursor(fp: string, at: CursorPosition): string {
  const body: CursorBody = { f: fp, k: at.key, i: at.id };
  return encodeJsonCursor(body);
}

/**
 * The position a cursor carries, checked: it must come from a search with the same sort and filters, and its key must
 * be of the sort's type, so a hand-made cursor is a 400 rather than a database error.
 */
export function decodeCursor(cursor: string, fp: string, keyType: "text" | "timestamptz"): CursorPosition {
  const body = jsonCursor(cursor) as Partial<CursorBody> | null;
  if (
    !body ||
    typeof body !== "object" ||
    typeof body.k !== "string" ||
    typeof body.i !== "string" ||
    !isUuid(body.i)
  ) {
    throw new InvalidError("cursor", NOT_A_CURSOR);
  }
  if (body.f !== fp)
    throw new InvalidError("cursor", "belongs to a search with another sort or other filters; start again without it");
  if (body.k.includes("\u0000") || (keyType === "timestamptz" && !TIMESTAMP.test(body.k))) {
    throw new InvalidError("cursor", NOT_A_CURSOR);
  }
  return { key: body.k, id: body.i };
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
