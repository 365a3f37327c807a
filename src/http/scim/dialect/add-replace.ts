import type { Target } from "./path";
import { type Json, isEnterpriseManager, isObject } from "./schema";
import type { Collections } from "./unmatched-filter";

/** A path naming a whole multi-valued complex attribute ("emails", "addresses"): no filter, no sub-attribute. */
function isWholeMultiValued(target: Target): boolean {
  const attr = target.attrs[0];
  return (
    target.segments.length === 1 &&
    target.segments[0]?.filter === undefined &&
    !!attr?.config.multiValued &&
    attr.type === "complex"
  );
}

const same = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/** Two values are the same when their `value` and `type` agree (both compared ignoring case), other sub-attributes aside. */
function isPresent(list: unknown[], element: unknown): boolean {
  if (!isObject(element) || element.value === undefined) return false;
  return list.some((e) => isObject(e) && same(e.value, element.value) && same(e.type ?? null, element.type ?? null));
}

/**
 * RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute ... the value already exists, no
 * change". IdPs resend values they think are missing; scimmy would append a copy. Drops the elements of an add (or of
 * a path-less replace, which scimmy appends too) already held, by value and type. Returns the value to apply, or
 * undefined when nothing is left to add.
 */
export function withoutPresentValues(
  target: Target,
  value: unknown,
  collections: Collections,
): { value: unknown } | undefined {
  if (!isWholeMultiValued(target)) return { value };
  const list = collections.get(target);
  const values = Array.isArray(value) ? value : [value];
  const kept = values.filter((e) => !isPresent(list, e));
  if (kept.length === 0 && values.length > 0) return undefined;
  return { value: Array.isArray(value) ? kept : kept[0] };
}

/**
 * RFC 7644 §3.5.2.3: replacing a single-valued complex attribute ("name") with some of its sub-attributes replaces
 * those and keeps the others. scimmy replaces the whole object, so the op becomes one replace per sub-attribute given.
 */
export function replaceSubAttributes(target: Target, value: unknown): Json[] | undefined {
  const attr = target.attrs[target.attrs.length - 1];
  if (attr?.type !== "complex" || attr.config.multiValued || target.segments.some((s) => s.filter !== undefined))
    return undefined;
  // The manager is one reference: replacing it replaces it whole.
  if (isEnterpriseManager(target.ns.id, attr)) return undefined;
  if (!isObject(value) || Object.keys(value).length === 0) return undefined;
  return Object.entries(value).map(([k, v]) => ({ op: "replace", path: `${target.path}.${k}`, value: v }));
}
