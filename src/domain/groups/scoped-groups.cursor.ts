import { NOT_A_CURSOR, encodeJsonCursor, jsonCursor } from "../cursor";
import { InvalidError } from "../errors";

/**
 * Opaque cursors of the admin group lists: the key of the last row of a page (base64url JSON). They are checked on the
 * way back, so a hand-made or truncated cursor is a 400 naming `cursor`, never a database error.
 */
export function encodeCursor(key: string): string {
  return encodeJsonCursor({ k: key });
}

export function decodeCursor(cursor: string, valid: (key: string) => boolean = () => true): string {
  const body = jsonCursor(cursor);
  const key = body && typeof body === "object" ? (body as { k?: unknown }).k : undefined;
  if (typeof key !== "string" || key.includes("\u0000") || !valid(key)) throw new InvalidError("cursor", NOT_A_CURSOR);
  return key;
}
