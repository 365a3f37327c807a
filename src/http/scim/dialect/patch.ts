import { replaceSubAttributes, withoutPresentValues } from "./add-replace";
import { type Target, resolvePath } from "./path";
import { type Json, isEnterpriseManager, isObject } from "./schema";
import { Collections, addForUnmatchedFilter } from "./unmatched-filter";
import { type Mode, normaliseForTarget, normaliseResource, stripNullRefs } from "./values";

const OPS = new Set(["add", "remove", "replace"]);
const PATCH: Mode = { body: false };

/** See `normalisePatchBody` in index.ts. */
export function normalisePatch(body: unknown, current: unknown): unknown {
  if (!isObject(body)) return body;
  const out = canonicalMessageKeys(body);
  const ops = out.Operations;
  if (!Array.isArray(ops)) return out;
  const collections = new Collections(isObject(current) ? current : {});
  out.Operations = ops.flatMap((op: unknown) => normaliseOperation(op, collections));
  return out;
}

/** scimmy reads `schemas` and `Operations` case-sensitively; message attribute names are case-insensitive too. */
export function canonicalMessageKeys(body: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) {
    const canonical = ["schemas", "Operations"].find((c) => c.toLowerCase() === k.toLowerCase());
    out[canonical && !(canonical in body) ? canonical : k] = v;
  }
  return out;
}

function normaliseOperation(raw: unknown, collections: Collections): unknown[] {
  if (!isObject(raw)) return [raw];
  const op = typeof raw.op === "string" ? raw.op.toLowerCase() : undefined;
  if (op === undefined || !OPS.has(op)) return [{ ...raw }];
  const base: Json = { ...raw, op };
  if (typeof raw.path === "string") return pathOp(base, op, raw.path, collections);
  if (raw.path === undefined && op !== "remove" && isObject(raw.value)) return pathlessOp(base, raw.value, collections);
  return [base];
}

function pathOp(base: Json, op: string, path: string, collections: Collections): Json[] {
  const hasValue = "value" in base;
  const target = resolvePath(path);
  if (!target) return [hasValue ? { ...base, value: stripNullRefs(base.value) } : base];

  const out: Json = { ...base, path: target.path };
  if (!hasValue) {
    collections.record(op, target, undefined);
    return [out];
  }
  const raw = base.value;
  if ((op === "replace" && raw === null) || (op !== "remove" && raw === "" && isManagerTarget(target))) {
    const { value: _dropped, ...rest } = out;
    collections.record("remove", target, undefined);
    return removeOps(target).map((r) => ({ ...rest, ...r }));
  }

  let value = normaliseForTarget(target, raw, PATCH);
  if (op !== "remove") {
    const rewrite = addForUnmatchedFilter(target, value, collections);
    if (rewrite) return [{ ...out, op: "add", path: rewrite.path, value: rewrite.value }];
  }
  if (op === "replace") {
    const subs = replaceSubAttributes(target, value);
    if (subs) return subs;
  }
  if (op === "add") {
    const fresh = withoutPresentValues(target, value, collections);
    if (!fresh) return [];
    value = fresh.value;
  }
  collections.record(op, target, value);
  return [{ ...out, value }];
}

/**
 * Path-less add/replace: keys are paths too. A key set to null (or an empty manager) becomes its own remove op,
 * because scimmy's path-less null only unsets simple attributes and silently keeps complex ones.
 */
function pathlessOp(base: Json, value: Json, collections: Collections): Json[] {
  const normalised = normaliseResource(value, PATCH);
  const kept: Json = {};
  const removals: Json[] = [];
  let dropped = false;
  for (const [key, v] of Object.entries(normalised)) {
    const target = resolvePath(key);
    if (target && v === null) {
      removals.push(...removeOps(target));
      collections.record("remove", target, undefined);
      continue;
    }
    // Path-less replace of a multi-valued attribute appends in scimmy, like add: values already held are left out.
    const fresh = target ? withoutPresentValues(target, v, collections) : { value: v };
    if (!fresh) {
      dropped = true;
      continue;
    }
    if (target) collections.record("add", target, fresh.value);
    kept[key] = fresh.value;
  }
  if (removals.length === 0 && !dropped) return [{ ...base, value: normalised }];
  return Object.keys(kept).length === 0 ? removals : [{ ...base, value: kept }, ...removals];
}

function isManagerTarget(target: Target): boolean {
  const attr = target.attrs[0];
  return target.segments.length === 1 && !!attr && isEnterpriseManager(target.ns.id, attr);
}

/** scimmy cannot remove a whole extension by its URN (400 "Cannot convert undefined or null to object"): remove each attribute instead. */
function removeOps(target: Target): Json[] {
  if (target.segments.length > 0) return [{ op: "remove", path: target.path }];
  return target.ns.attributes.map((a) => ({ op: "remove", path: `${target.ns.id}:${a.name}` }));
}
