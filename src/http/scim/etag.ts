import type { Request } from "express";
import { ScimError } from "./scim-errors";

/** Versions named by If-Match (RFC 7644 §3.14, RFC 9110 §13.1.1); undefined when absent or `*`. */
export function ifMatchVersions(req: Request): number[] | undefined {
  return ifMatchOf(req.get("if-match"), "If-Match");
}

/** An If-Match value (a header, or a bulk operation's `version`, RFC 7644 §3.7) -> versions; undefined when absent or `*`. */
export function ifMatchOf(value: string | undefined, name: string): number[] | undefined {
  if (!value || value.trim() === "*") return undefined;
  const versions = parseTags(value);
  if (versions.length === 0) throw new ScimError(412, null, `${name} names no version of this resource`);
  return versions;
}

/** True when If-None-Match names the current version (GET answers 304). */
export function ifNoneMatchHits(req: Request, version: number): boolean {
  const header = req.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || parseTags(header).includes(version);
}

function parseTags(header: string): number[] {
  return header
    .split(",")
    .map((t) => /^\s*(?:W\/)?"(\d+)"\s*$/.exec(t)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}
