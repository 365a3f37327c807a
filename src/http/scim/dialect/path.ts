import { type AttrDef, type Namespace, coreNamespace, extensionNamespaces, findAttr } from "./schema";

export interface Segment {
  /** Canonical attribute name, as the schema spells it. */
  readonly name: string;
  /** Text between the brackets of a value filter, verbatim. */
  readonly filter?: string;
}

/** An attribute path (RFC 7644 §3.10) resolved against the User schema. */
export interface Target {
  readonly ns: Namespace;
  /** Empty when the path names a whole extension (e.g. "urn:...:enterprise:2.0:User"). */
  readonly segments: readonly Segment[];
  /** The attribute definition of each segment. */
  readonly attrs: readonly AttrDef[];
  /** The path re-spelled with canonical names; core URN prefix dropped (scimmy rejects it). */
  readonly path: string;
}

/** Splits "a[x eq \"1.2\"].b" on dots outside brackets and quotes. Returns undefined for unbalanced input. */
function splitSegments(text: string): { name: string; filter?: string }[] | undefined {
  const parts: string[] = [];
  let current = "";
  let inBracket = false;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      current += c;
      if (c === "\\" && i + 1 < text.length) current += text[++i];
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"' && inBracket) inQuote = true;
    else if (c === "[") {
      if (inBracket) return undefined;
      inBracket = true;
    } else if (c === "]") {
      if (!inBracket) return undefined;
      inBracket = false;
    } else if (c === "." && !inBracket) {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  if (inBracket || inQuote) return undefined;
  parts.push(current);

  const segments: { name: string; filter?: string }[] = [];
  for (const part of parts) {
    const m = /^([^[\]]+)(?:\[([\s\S]*)\])?$/.exec(part);
    if (!m) return undefined;
    segments.push(m[2] === undefined ? { name: m[1] } : { name: m[1], filter: m[2] });
  }
  return segments;
}

/**
 * Resolves a PATCH path or a path-less value key against the User schema and its extensions.
 * Returns undefined when any part is not declared: the caller then leaves it for scimmy to reject.
 */
export function resolvePath(path: string): Target | undefined {
  const core = coreNamespace();
  let ns = core;
  let rest = path;
  if (/^urn:/i.test(path)) {
    const lower = path.toLowerCase();
    const found = [...extensionNamespaces(), core].find((n) => {
      const id = n.id.toLowerCase();
      return lower === id || lower.startsWith(`${id}:`);
    });
    if (!found) return undefined;
    ns = found;
    rest = path.slice(found.id.length + 1);
    if (rest === "") return found.core ? undefined : { ns, segments: [], attrs: [], path: found.id };
  }

  const raw = splitSegments(rest);
  if (!raw) return undefined;
  const segments: Segment[] = [];
  const attrs: AttrDef[] = [];
  let scope: readonly AttrDef[] | undefined = ns.attributes;
  for (const seg of raw) {
    const attr = findAttr(scope, seg.name);
    if (!attr) return undefined;
    attrs.push(attr);
    segments.push(seg.filter === undefined ? { name: attr.name } : { name: attr.name, filter: seg.filter });
    scope = attr.subAttributes;
  }
  const text = segments.map((s) => (s.filter === undefined ? s.name : `${s.name}[${s.filter}]`)).join(".");
  return { ns, segments, attrs, path: ns.core ? text : `${ns.id}:${text}` };
}

/** The path naming the top-level attribute of a target, without filter or sub-attribute. */
export function topPath(target: Target): string {
  const name = target.segments[0]?.name ?? "";
  return target.ns.core ? name : `${target.ns.id}:${name}`;
}
