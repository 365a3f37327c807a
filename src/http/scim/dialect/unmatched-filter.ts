import SCIMMY from "scimmy";
import { type Target, topPath } from "./path";
import { type Json, findAttr, isObject } from "./schema";

/**
 * What the multi-valued attributes of the user will hold when scimmy reaches each op, approximated from `current`
 * plus the earlier ops of the same request, so that a second op on `addresses[type eq "work"]` after a rewritten
 * first one targets the element the first one created instead of creating another.
 */
export class Collections {
  private readonly values = new Map<string, unknown[]>();

  constructor(private readonly current: Json) {}

  get(target: Target): unknown[] {
    const key = topPath(target);
    let list = this.values.get(key);
    if (!list) {
      const container = target.ns.core ? this.current : lookup(this.current, target.ns.id);
      const found = isObject(container) ? lookup(container, target.segments[0]?.name ?? "") : undefined;
      list = Array.isArray(found) ? [...found] : [];
      this.values.set(key, list);
    }
    return list;
  }

  /** Tracks an op whose path is a whole multi-valued attribute (no filter, no sub-attribute). */
  record(op: string, target: Target, value: unknown): void {
    const attr = target.attrs[0];
    if (target.segments.length !== 1 || target.segments[0]?.filter !== undefined || !attr?.config.multiValued) return;
    const list = this.get(target);
    const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    if (op === "remove" || op === "replace") list.splice(0, list.length);
    if (op === "add" || op === "replace") list.push(...values);
  }
}

function lookup(obj: Json, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const k = Object.keys(obj).find((n) => n.toLowerCase() === lower);
  return k === undefined ? undefined : obj[k];
}

/**
 * Entra sends add/replace on `phoneNumbers[type eq "work"].value` when the user has no work phone; scimmy answers
 * 400 noTarget. When the filter is only `eq` comparisons joined by `and` and matches nothing, the op becomes an add of
 * a new element built from the filter: `{op: "add", path: "phoneNumbers", value: [{type: "work", value}]}`.
 * Otherwise returns undefined and the op stays as sent.
 */
export function addForUnmatchedFilter(
  target: Target,
  value: unknown,
  collections: Collections,
): { path: string; value: Json[] } | undefined {
  const [head, sub] = target.segments;
  const attr = target.attrs[0];
  if (!head || head.filter === undefined || target.segments.length > 2 || sub?.filter !== undefined) return undefined;
  if (attr?.type !== "complex" || !attr.config.multiValued) return undefined;

  let filter: SCIMMY.Types.Filter;
  try {
    filter = new SCIMMY.Types.Filter(head.filter);
  } catch {
    return undefined;
  }
  if (filter.length !== 1) return undefined;

  const element: Json = {};
  for (const [name, comparison] of Object.entries(filter[0] as Json)) {
    if (!Array.isArray(comparison) || comparison.length !== 2 || comparison[0] !== "eq") return undefined;
    const operand: unknown = comparison[1];
    if (!["string", "number", "boolean"].includes(typeof operand)) return undefined;
    const subAttr = findAttr(attr.subAttributes, name);
    if (!subAttr) return undefined;
    element[subAttr.name] = operand;
  }

  let matches: unknown[];
  try {
    matches = filter.match(collections.get(target));
  } catch {
    return undefined;
  }
  if (matches.length > 0) return undefined;

  if (sub) {
    if (value === undefined || value === null) return undefined;
    element[sub.name] = value;
  } else {
    if (!isObject(value)) return undefined;
    Object.assign(element, value);
  }
  collections.get(target).push(element);
  return { path: topPath(target), value: [element] };
}
