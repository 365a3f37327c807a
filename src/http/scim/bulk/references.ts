import { ScimError } from "../scim-errors";

const PREFIX = "bulkId:";
/** Deeper data is refused rather than walked (a request body of nested arrays must not exhaust the stack). */
const MAX_DEPTH = 64;

/** The bulkId a `"bulkId:<id>"` string names (RFC 7644 §3.7.2), else undefined. */
export function bulkIdIn(s: string): string | undefined {
  return s.startsWith(PREFIX) && s.length > PREFIX.length ? s.slice(PREFIX.length) : undefined;
}

/** Adds to `out` every bulkId named by a string value anywhere in `value` (RFC 7644 §3.7.2). */
export function collectReferences(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > MAX_DEPTH) throw new ScimError(400, "invalidValue", `data is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === "string") {
    const id = bulkIdIn(value);
    if (id !== undefined) out.add(id);
  } else if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, out, depth + 1);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) collectReferences(v, out, depth + 1);
  }
}

/** A copy of `value` in which every `"bulkId:<id>"` string is replaced by the id that operation created (RFC 7644 §3.7.2). */
export function resolveReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    const bulkId = bulkIdIn(value);
    return bulkId !== undefined && ids.has(bulkId) ? ids.get(bulkId) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, ids));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, ids)]));
  }
  return value;
}
