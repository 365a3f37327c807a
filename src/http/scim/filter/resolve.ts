import type { AttrNode } from "./types";

/** Case-insensitive own-property lookup (a filter on `constructor` must not find Object.prototype's). */
export function lookup<T>(scope: Record<string, T>, name: string): T | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(scope, key) ? scope[key] : undefined;
}

/**
 * Finds an attribute by name, also when it is prefixed with its schema URN
 * (`urn:...:enterprise:2.0:User:department`): the longest URN key of the scope that prefixes the name
 * wins and the rest is looked up among its sub-attributes.
 */
export function resolveAttr(scope: Record<string, AttrNode>, name: string): AttrNode | undefined {
  const direct = lookup(scope, name);
  if (direct) return direct;
  const urn = urnPrefix(scope, name);
  if (!urn) return undefined;
  const schema = scope[urn];
  return schema.kind === "complex" ? resolveAttr(schema.sub, name.slice(urn.length + 1)) : undefined;
}

/** The longest key of `scope` that is a URN prefixing `name` followed by ':'. */
export function urnPrefix(scope: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith("urn:")) return undefined;
  let best: string | undefined;
  for (const key of Object.keys(scope)) {
    if (key.startsWith("urn:") && lower.startsWith(`${key}:`) && key.length > (best?.length ?? 0)) best = key;
  }
  return best;
}
