import type { Request } from "express";
import { Problem } from "../shared/problem";

/** ETag of a version; weak, like the SCIM door's (RFC 9110 §8.8.3). */
export const etagOf = (version: number) => `W/"${version}"`;

/** Versions an If-Match header names (`W/"3"` or `"3"`); undefined when absent or `*` (RFC 9110 §13.1.1). */
export function ifMatchVersions(req: Request): number[] | undefined {
  const header = req.get("if-match");
  if (!header || header.trim() === "*") return undefined;
  const versions = header
    .split(",")
    .map((t) => /^\s*(?:W\/)?"(\d+)"\s*$/.exec(t)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
  if (versions.length === 0)
    throw new Problem(412, "version_mismatch", "If-Match names no version of this resource (send the ETag you read)");
  return versions;
}
