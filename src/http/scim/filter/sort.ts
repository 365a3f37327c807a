import { elementExpr } from "./element";
import { lookup, urnPrefix } from "./resolve";
import { type AttrNode, type AttributeMap, FilterError, type MultiAttr } from "./types";

/**
 * SQL expression to ORDER BY for a sortBy attribute (RFC 7644 §3.4.2.3). Multi-valued attributes sort
 * by the primary (else first) element's value.
 */
export function compileSortKey(sortBy: string, map: AttributeMap): string {
  const path = typeof sortBy === "string" ? sortBy.trim() : "";
  if (!path) throw invalid("sortBy is empty");
  const segments = split(path, map);
  let scope: Record<string, AttrNode> = map;
  for (let i = 0; i < segments.length; i++) {
    const attr = lookup(scope, segments[i]);
    if (!attr) throw invalid(`Cannot sort by unknown attribute '${path}'`);
    const last = i === segments.length - 1;
    if (attr.kind === "relation") throw invalid(`Cannot sort by '${path}': it is a list kept in another table`);
    if (attr.kind === "multi") {
      if (i < segments.length - 2) throw invalid(`Cannot sort by unknown attribute '${path}'`);
      return primaryElement(attr, path, last ? undefined : segments[i + 1]);
    }
    if (attr.kind === "complex") {
      if (last) throw invalid(`Cannot sort by complex attribute '${path}': name one of its sub-attributes`);
      scope = attr.sub;
    } else {
      if (!last) throw invalid(`Cannot sort by unknown attribute '${path}'`);
      return attr.kind === "string" && !attr.caseExact ? `lower(${attr.sql})` : attr.sql;
    }
  }
  throw invalid(`Cannot sort by unknown attribute '${path}'`);
}

/** `urn:...:User:manager.value` -> [urn, "manager", "value"]; `name.familyName` -> ["name", "familyName"]. */
function split(path: string, map: AttributeMap): string[] {
  if (lookup(map, path)) return [path];
  const urn = urnPrefix(map, path);
  if (urn) return [urn, ...path.slice(urn.length + 1).split(".")];
  return path.split(".");
}

function primaryElement(attr: MultiAttr, path: string, subName?: string): string {
  const sub = lookup(attr.sub, subName ?? "value");
  if (!sub)
    throw invalid(
      subName
        ? `Cannot sort by unknown attribute '${path}'`
        : `Cannot sort by '${path}': it has no 'value' sub-attribute`,
    );
  const value = elementExpr("srt.el", subName ?? "value", sub);
  const key = sub.kind === "string" && !sub.caseExact ? `lower(${value})` : value;
  const primary = lookup(attr.sub, "primary");
  const primaryFirst = primary?.kind === "boolean" ? `${elementExpr("srt.el", "primary", primary)} IS TRUE DESC, ` : "";
  return `(SELECT ${key} FROM jsonb_array_elements(COALESCE(${attr.sql}, '[]'::jsonb)) WITH ORDINALITY AS srt(el, ord) ORDER BY ${primaryFirst}srt.ord LIMIT 1)`;
}

const invalid = (message: string) => new FilterError(message, "invalidValue");
