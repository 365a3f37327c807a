import type { Request } from "express";
import type { ListQuery } from "../../domain/users/users.repository";
import { type AttributeMap, compileFilter, compileSortKey } from "./filter";
import { type CursorRequest, parseCursor, queryFingerprint } from "./list-cursor";
import { ScimError, fromScimmy } from "./scim-errors";
import { SCIMMY } from "./scimmy";

export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ListParams {
  query: ListQuery;
  startIndex: number;
  /** Set when the request pages by cursor (RFC 9865): then startIndex and the query's offset play no part. */
  cursor?: CursorRequest;
  attributes?: string;
  excludedAttributes?: string;
}

interface Limits {
  maxResults: number;
  maxFilterLength: number;
  /** The resource type listed ("Users", "Groups"): a cursor of one is refused by the other. */
  resource?: string;
}

/** Query parameters of GET /Users (RFC 7644 §3.4.2; `cursor`, RFC 9865 §2). */
export function listParamsFromQuery(req: Request, map: AttributeMap, limits: Limits): ListParams {
  const q = req.query as Record<string, string | undefined>;
  return build(
    {
      filter: q.filter,
      sortBy: q.sortBy,
      sortOrder: q.sortOrder,
      startIndex: q.startIndex,
      count: q.count,
      cursor: q.cursor,
      attributes: q.attributes,
      excludedAttributes: q.excludedAttributes,
    },
    map,
    limits,
  );
}

/** Body of POST /.search (RFC 7644 §3.4.3), validated by scimmy's SearchRequest; `cursor` (RFC 9865 §3) read beside it. */
export function listParamsFromSearch(body: unknown, map: AttributeMap, limits: Limits): ListParams {
  let request: Record<string, unknown>;
  try {
    request = new SCIMMY.Messages.SearchRequest(body as never) as unknown as Record<string, unknown>;
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid SearchRequest");
  }
  const join = (v: unknown) => (Array.isArray(v) ? v.join(",") : (v as string | undefined));
  const cursor = body && typeof body === "object" ? (body as Record<string, unknown>).cursor : undefined;
  return build(
    {
      ...request,
      cursor,
      attributes: join(request.attributes),
      excludedAttributes: join(request.excludedAttributes),
    } as Record<string, unknown>,
    map,
    limits,
  );
}

function build(p: Record<string, unknown>, map: AttributeMap, limits: Limits): ListParams {
  const paged = p.cursor !== undefined;
  // RFC 9865 §2: a request pages by index or by cursor, never both.
  if (paged && p.startIndex !== undefined)
    throw new ScimError(400, "invalidValue", "startIndex and cursor cannot both be given: page by index or by cursor");
  const startIndex = Math.max(1, toInt(p.startIndex, "startIndex") ?? 1);
  const asked = toInt(p.count, "count");
  // RFC 9865 §2.1: a cursor page's count is a positive integer.
  if (paged && asked !== undefined && asked < 1)
    throw new ScimError(400, "invalidCount", "count must be a positive integer when paging by cursor");
  // RFC 7644 §3.4.2.4: a count above the maximum is lowered to it, a negative one is 0.
  const count = Math.min(limits.maxResults, Math.max(0, asked ?? limits.maxResults));
  const sortOrder = p.sortOrder === undefined ? "ascending" : String(p.sortOrder);
  if (!["ascending", "descending"].includes(sortOrder))
    throw new ScimError(400, "invalidValue", "sortOrder must be 'ascending' or 'descending'");
  const filter = p.filter === undefined || p.filter === "" ? undefined : String(p.filter);
  const query = {
    where: filter ? compileFilter(filter, map, { maxLength: limits.maxFilterLength }) : undefined,
    orderBy: p.sortBy ? compileSortKey(String(p.sortBy), map) : undefined,
    descending: sortOrder === "descending",
    offset: startIndex - 1,
    limit: count,
  };
  return {
    startIndex,
    cursor: paged
      ? parseCursor(p.cursor, queryFingerprint(limits.resource ?? "", query), query.orderBy !== undefined)
      : undefined,
    attributes: p.attributes ? String(p.attributes) : undefined,
    excludedAttributes: p.excludedAttributes ? String(p.excludedAttributes) : undefined,
    query,
  };
}

function toInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  // Beyond a safe integer the number is no longer exact, and PostgreSQL's OFFSET/LIMIT would refuse it (a 500).
  if (!Number.isSafeInteger(n))
    throw new ScimError(
      400,
      "invalidValue",
      `${name} must be an integer between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
    );
  return n;
}

/** What a ListResponse says of its page: index paging (RFC 7644 §3.4.2.4), or cursor paging (RFC 9865 §2, no startIndex). */
export interface ListHead {
  totalResults?: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
}

/** A ListResponse (RFC 7644 §3.4.2; RFC 9865 §2) without its Resources. */
export function listHead(head: ListHead, itemsPerPage: number): Record<string, unknown> {
  const { totalResults, startIndex, nextCursor, previousCursor } = head;
  return { schemas: [LIST_RESPONSE_URN], totalResults, startIndex, itemsPerPage, nextCursor, previousCursor };
}

/** A ListResponse with its Resources (RFC 7644 §3.4.2; RFC 9865 §2). */
export function listResponse(head: ListHead, resources: unknown[]): Record<string, unknown> {
  return { ...listHead(head, resources.length), Resources: resources };
}
