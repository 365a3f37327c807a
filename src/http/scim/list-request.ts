import { Request } from "express";
import { ListQuery } from "../../domain/users/users.repository";
import { AttributeMap, compileFilter, compileSortKey } from "./filter";
import { ScimError, fromScimmy } from "./scim-errors";
import { SCIMMY } from "./scimmy";

export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ListParams {
  query: ListQuery;
  startIndex: number;
  attributes?: string;
  excludedAttributes?: string;
}

interface Limits {
  maxResults: number;
  maxFilterLength: number;
}

/** Query parameters of GET /Users (RFC 7644 §3.4.2). */
export function listParamsFromQuery(req: Request, map: AttributeMap, limits: Limits): ListParams {
  const q = req.query as Record<string, string | undefined>;
  return build({ filter: q.filter, sortBy: q.sortBy, sortOrder: q.sortOrder, startIndex: q.startIndex, count: q.count, attributes: q.attributes, excludedAttributes: q.excludedAttributes }, map, limits);
}

/** Body of POST /.search (RFC 7644 §3.4.3), validated by scimmy's SearchRequest. */
export function listParamsFromSearch(body: unknown, map: AttributeMap, limits: Limits): ListParams {
  let request: Record<string, unknown>;
  try {
    request = new SCIMMY.Messages.SearchRequest(body as never) as unknown as Record<string, unknown>;
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid SearchRequest");
  }
  const join = (v: unknown) => (Array.isArray(v) ? v.join(",") : (v as string | undefined));
  return build({ ...request, attributes: join(request.attributes), excludedAttributes: join(request.excludedAttributes) } as Record<string, unknown>, map, limits);
}

function build(p: Record<string, unknown>, map: AttributeMap, limits: Limits): ListParams {
  const startIndex = Math.max(1, toInt(p.startIndex, "startIndex") ?? 1);
  // RFC 7644 §3.4.2.4: a count above the maximum is lowered to it, a negative one is 0.
  const count = Math.min(limits.maxResults, Math.max(0, toInt(p.count, "count") ?? limits.maxResults));
  const sortOrder = p.sortOrder === undefined ? "ascending" : String(p.sortOrder);
  if (!["ascending", "descending"].includes(sortOrder)) throw new ScimError(400, "invalidValue", "sortOrder must be 'ascending' or 'descending'");
  const filter = p.filter === undefined || p.filter === "" ? undefined : String(p.filter);
  return {
    startIndex,
    attributes: p.attributes ? String(p.attributes) : undefined,
    excludedAttributes: p.excludedAttributes ? String(p.excludedAttributes) : undefined,
    query: {
      where: filter ? compileFilter(filter, map, { maxLength: limits.maxFilterLength }) : undefined,
      orderBy: p.sortBy ? compileSortKey(String(p.sortBy), map) : undefined,
      descending: sortOrder === "descending",
      offset: startIndex - 1,
      limit: count,
    },
  };
}

function toInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  // Beyond a safe integer the number is no longer exact, and PostgreSQL's OFFSET/LIMIT would refuse it (a 500).
  if (!Number.isSafeInteger(n)) throw new ScimError(400, "invalidValue", `${name} must be an integer between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

export function listResponse(total: number, startIndex: number, resources: unknown[]): Record<string, unknown> {
  return { schemas: [LIST_RESPONSE_URN], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
