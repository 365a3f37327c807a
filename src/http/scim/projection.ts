type Json = Record<string, unknown>;
const ALWAYS = new Set(["id", "schemas"]);

/** Applies `attributes` / `excludedAttributes` to a SCIM resource (RFC 7644 §3.4.2.5); names are case-insensitive, URN-qualified paths work. */
export function project(resource: Json, attributes?: string, excluded?: string): Json {
  if (attributes) {
    const out: Json = {};
    for (const key of ALWAYS) if (key in resource) out[key] = resource[key];
    for (const path of parsePaths(attributes, resource)) copyPath(resource, out, path);
    return out;
  }
  if (excluded) {
    const out = structuredClone(resource);
    for (const path of parsePaths(excluded, resource)) if (!ALWAYS.has(path[0])) deletePath(out, path);
    return out;
  }
  return resource;
}

/** Splits "a.b, urn:...:User:department" into key paths matched to the resource's actual key casing. */
function parsePaths(list: string, resource: Json): string[][] {
  const urns = Object.keys(resource).filter((k) => k.startsWith("urn:"));
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      const urn = urns.find(
        (u) => raw.toLowerCase() === u.toLowerCase() || raw.toLowerCase().startsWith(`${u.toLowerCase()}:`),
      );
      if (urn)
        return [
          urn,
          ...raw
            .slice(urn.length + 1)
            .split(".")
            .filter(Boolean),
        ];
      const core = raw.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i, "");
      return core.split(".");
    });
}

function findKey(obj: Json, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

function copyPath(from: Json, to: Json, path: string[]): void {
  const key = findKey(from, path[0]);
  if (key === undefined) return;
  const value = from[key];
  if (path.length === 1) {
    to[key] = value;
  } else if (Array.isArray(value)) {
    to[key] = value.map((item, i) => {
      const target = ((to[key] as Json[] | undefined)?.[i] ?? {}) as Json;
      copyPath(item as Json, target, path.slice(1));
      return target;
    });
  } else if (value && typeof value === "object") {
    const target = (to[key] ?? {}) as Json;
    copyPath(value as Json, target, path.slice(1));
    if (Object.keys(target).length) to[key] = target;
  }
}

function deletePath(obj: Json, path: string[]): void {
  const key = findKey(obj, path[0]);
  if (key === undefined) return;
  if (path.length === 1) {
    delete obj[key];
    return;
  }
  const value = obj[key];
  for (const item of Array.isArray(value) ? value : [value])
    if (item && typeof item === "object") deletePath(item as Json, path.slice(1));
}
