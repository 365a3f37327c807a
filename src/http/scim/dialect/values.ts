import { type Target, resolvePath } from "./path";
import { type AttrDef, type Json, type Namespace, findAttr, isEnterpriseManager, isObject } from "./schema";

export interface Mode {
  /** POST/PUT body: a null means unassigned (RFC 7643 §2.5) and the key is dropped. PATCH keeps nulls for the op logic. */
  readonly body: boolean;
}

interface Ctx extends Mode {
  readonly ns: string;
}

/** Entra sends "True"/"False" for booleans. Anything else is left for scimmy to reject. */
function toBoolean(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const lower = v.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : v;
}

/** Deep copy that drops "$ref": null from objects inside arrays (Entra sends {"$ref": null, "value": "id"}). */
export function stripNullRefs(v: unknown, inArray = false): unknown {
  if (Array.isArray(v)) return v.map((e) => stripNullRefs(e, true));
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, e] of Object.entries(v)) {
    if (inArray && k === "$ref" && e === null) continue;
    out[k] = stripNullRefs(e);
  }
  return out;
}

/** Returns undefined when the key holding the value should be dropped. */
function normaliseValue(attr: AttrDef, value: unknown, ctx: Ctx, element = false): unknown {
  if (value === null) return ctx.body ? undefined : null;
  if (attr.type === "boolean") return Array.isArray(value) ? value.map(toBoolean) : toBoolean(value);
  if (attr.type !== "complex") return value;
  if (isEnterpriseManager(ctx.ns, attr) && typeof value === "string") {
    // An empty manager id means "no manager".
    if (value === "") return ctx.body ? undefined : null;
    return { value };
  }
  if (attr.config.multiValued && !element) {
    // scimmy wraps a single object sent for a multi-valued attribute in PATCH; keep that shape.
    if (!Array.isArray(value)) return normaliseComplex(attr, value, ctx, true);
    return value.filter((e) => !(ctx.body && e === null)).map((e) => normaliseComplex(attr, e, ctx, true));
  }
  return normaliseComplex(attr, value, ctx, element);
}

function normaliseComplex(attr: AttrDef, value: unknown, ctx: Ctx, inArray: boolean): unknown {
  if (!isObject(value)) return value;
  // Entra sends `"$ref": null` on members.
  const entries = Object.entries(value).filter(([k, v]) => !(inArray && k === "$ref" && v === null));
  return normaliseEntries(attr.subAttributes, entries, ctx);
}

/** Normalises an object holding the attributes of one schema (the value of an extension key). */
export function normaliseNamespaceObject(ns: Namespace, obj: Json, mode: Mode): Json {
  return normaliseEntries(ns.attributes, Object.entries(obj), { ...mode, ns: ns.id });
}

/** Known attributes get their schema spelling and normalised values; unknown ones are kept for scimmy to judge. */
function normaliseEntries(attrs: Parameters<typeof findAttr>[0], entries: [string, unknown][], ctx: Ctx): Json {
  const out: Json = {};
  for (const [k, v] of entries) {
    const attr = findAttr(attrs, k);
    if (!attr) {
      if (!(ctx.body && v === null)) out[k] = stripNullRefs(v);
      continue;
    }
    const nv = normaliseValue(attr, v, ctx);
    if (nv !== undefined) out[attr.name] = nv;
  }
  return out;
}

/** Normalises a value about to be written at a resolved path. Returns undefined when it should be dropped. */
export function normaliseForTarget(target: Target, value: unknown, mode: Mode): unknown {
  if (value === null) return mode.body ? undefined : null;
  const attr = target.attrs[target.attrs.length - 1];
  if (!attr) {
    if (!isObject(value)) return stripNullRefs(value);
    const obj = normaliseNamespaceObject(target.ns, value, mode);
    // scimmy lists an extension in `schemas` whenever its key is present, even with nothing in it.
    return mode.body && Object.keys(obj).length === 0 ? undefined : obj;
  }
  const last = target.segments[target.segments.length - 1];
  // A filtered multi-valued path ("emails[type eq \"work\"]") addresses elements, not the collection.
  const element = last?.filter !== undefined && !!attr.config.multiValued && !Array.isArray(value);
  return normaliseValue(attr, value, { ...mode, ns: target.ns.id }, element);
}

/**
 * Normalises a resource-shaped object: a POST/PUT body, or the value of a path-less PATCH op whose keys may also be
 * dotted or URN-prefixed paths (RFC 7644 §3.5.2). Known keys are re-spelled canonically; unknown keys are kept.
 */
export function normaliseResource(obj: Json, mode: Mode): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    const target = resolvePath(k);
    if (!target) {
      if (!(mode.body && v === null)) out[k] = stripNullRefs(v);
      continue;
    }
    const nv = normaliseForTarget(target, v, mode);
    if (nv !== undefined) out[target.path] = nv;
  }
  return out;
}
