/**
 * Opaque cursors, one codec for every keyset list (admin search, group lists, audit log, dead letters, job results).
 * Each list writes its position as text of its own shape; the cursor a client holds is that text, base64url-encoded,
 * so clients never build one by hand. Decoding only undoes the encoding: each list checks the shape of its own text,
 * so a hand-made or truncated cursor is a 400 naming `cursor`, never a database error.
 */
export const NOT_A_CURSOR = "is not a cursor this API returned";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export const encodeCursor = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/** The text a cursor carries, or null when it is not base64url of well-formed text without NUL. */
export function cursorText(cursor: string): string | null {
  if (!BASE64URL.test(cursor)) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  return text.includes("\uFFFD") || text.includes("\u0000") ? null : text;
}

export const encodeJsonCursor = (value: unknown): string => encodeCursor(JSON.stringify(value));

/** The JSON value a cursor carries, or null when it carries none. */
export function jsonCursor(cursor: string): unknown {
  const text = cursorText(cursor);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
