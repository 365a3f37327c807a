// The fast path of the most frequent PATCH: an IdP switching a person on or off (Okta's path-less
// `{"op":"replace","value":{"active":false}}`, Entra's `{"op":"Replace","path":"active","value":"False"}`).
// scimmy's PatchOp builds and coerces the whole User schema per request to set one boolean (a fifth of a PATCH's CPU,
// docs/perf/2026-12-02-hot-path-profile.md); this reads the body's shape instead, and anything it does not recognise
// exactly goes the general way (dialect, then scimmy), which also gives every error. Decision 0130.
import { PATCH_OP_URN } from "./scimmy";

const OPERATION_KEYS = new Set(["op", "path", "value"]);

/**
 * The `active` value a PatchOp body sets, when the body is only that (one or more add/replace operations of `active`
 * alone, a well-formed message); undefined for any other body. The result is what scimmy would set: the last
 * operation's value, booleans as Entra's "True"/"False" strings read by the dialect.
 */
export function activeOnlyPatch(body: unknown): boolean | undefined {
  if (!isPlainObject(body)) return undefined;
  let keys = 0;
  for (const k in body) {
    if (k !== "schemas" && k !== "Operations") return undefined;
    keys++;
  }
  if (keys !== 2) return undefined;
  const { schemas, Operations: ops } = body;
  if (!Array.isArray(schemas) || schemas.length !== 1 || schemas[0] !== PATCH_OP_URN) return undefined;
  if (!Array.isArray(ops) || ops.length === 0) return undefined;
  let active: boolean | undefined;
  for (const op of ops) {
    active = activeOf(op);
    if (active === undefined) return undefined;
  }
  return active;
}

function activeOf(op: unknown): boolean | undefined {
  if (!isPlainObject(op)) return undefined;
  for (const k in op) if (!OPERATION_KEYS.has(k)) return undefined;
  const verb = typeof op.op === "string" ? op.op.toLowerCase() : undefined;
  if (verb !== "replace" && verb !== "add") return undefined;
  if (op.path === undefined) {
    // Okta: path-less, the value a partial resource holding `active` alone.
    const value = op.value;
    if (!isPlainObject(value)) return undefined;
    let only: unknown;
    let keys = 0;
    for (const k in value) {
      if (k !== "active") return undefined;
      only = value[k];
      keys++;
    }
    return keys === 1 && typeof only === "boolean" ? only : undefined;
  }
  if (typeof op.path !== "string" || op.path.toLowerCase() !== "active") return undefined;
  return toBoolean(op.value);
}

/** A JSON boolean, or Entra's "True"/"False" in any casing (as the dialect reads them); undefined otherwise. */
function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  const lower = v.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
