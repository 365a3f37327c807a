import { ScimError } from "../scim-errors";
import { bulkIdIn, collectReferences } from "./references";
import { BULK_ENDPOINTS, type BulkEndpoint } from "./target";

export const BULK_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
export type BulkMethod = (typeof METHODS)[number];
const MAX_BULK_ID_LENGTH = 256;

type Json = Record<string, unknown>;

/** One operation of a BulkRequest (RFC 7644 §3.7). With `error` set it is not run: it is answered with that error. */
export interface BulkOperation {
  index: number;
  /** As sent (upper-cased when valid), echoed in the response. */
  method?: string;
  bulkId?: string;
  endpoint?: BulkEndpoint;
  /** The resource id from the path; may be a `bulkId:<id>` reference until resolved. */
  id?: string;
  data?: unknown;
  version?: string;
  /** bulkIds this operation needs resolved (in its path or its data). */
  refs: string[];
  error?: ScimError;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

/**
 * Validates a BulkRequest message (RFC 7644 §3.7). A bad envelope is a 400 invalidSyntax for the whole request and more
 * than `maxOperations` a 413 (§3.7.4); a bad operation only fails that operation, so the others still run (§3.7).
 */
export function parseBulkRequest(body: unknown, maxOperations: number): BulkRequest {
  if (!isObject(body)) throw new ScimError(400, "invalidSyntax", "The request body must be a BulkRequest object");
  const schemas = field(body, "schemas");
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === "string" && s.toLowerCase() === BULK_REQUEST_URN.toLowerCase())
  ) {
    throw new ScimError(400, "invalidSyntax", `schemas must contain "${BULK_REQUEST_URN}"`);
  }
  const failOnErrors = field(body, "failOnErrors");
  if (failOnErrors !== undefined && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw new ScimError(400, "invalidSyntax", "failOnErrors must be an integer of at least 1");
  }
  const operations = field(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(400, "invalidSyntax", "Operations must be a non-empty array of operations");
  }
  if (operations.length > maxOperations) {
    throw new ScimError(
      413,
      null,
      `The bulk request has ${operations.length} operations, more than maxOperations (${maxOperations})`,
    );
  }
  const parsed = operations.map((op, index) => parseOperation(op, index));
  refuseDuplicateBulkIds(parsed);
  return { failOnErrors: failOnErrors as number | undefined, operations: parsed };
}

function parseOperation(raw: unknown, index: number): BulkOperation {
  const op: BulkOperation = { index, refs: [] };
  const name = `Operations[${index}]`;
  try {
    if (!isObject(raw)) throw syntax(`${name} must be an object`);
    const method = field(raw, "method");
    if (typeof method === "string") op.method = method;
    const upper = typeof method === "string" ? method.toUpperCase() : "";
    if (!isMethod(upper)) throw syntax(`${name}.method must be one of ${METHODS.join(", ")}`);
    op.method = upper;

    const bulkId = field(raw, "bulkId");
    if (bulkId !== undefined && (typeof bulkId !== "string" || bulkId === "" || bulkId.length > MAX_BULK_ID_LENGTH)) {
      throw syntax(`${name}.bulkId must be a non-empty string of at most ${MAX_BULK_ID_LENGTH} characters`);
    }
    op.bulkId = bulkId as string | undefined;
    if (upper === "POST" && op.bulkId === undefined) throw syntax(`${name}.bulkId is required for POST`);

    const version = field(raw, "version");
    if (version !== undefined && typeof version !== "string")
      throw syntax(`${name}.version must be a string (an ETag)`);
    op.version = version;

    const path = field(raw, "path");
    if (typeof path !== "string")
      throw syntax(`${name}.path is required: the resource's path relative to the SCIM root, e.g. /Users`);
    Object.assign(op, parsePath(path, upper));

    const refs = new Set<string>();
    const pathRef = op.id === undefined ? undefined : bulkIdIn(op.id);
    if (pathRef !== undefined) refs.add(pathRef);
    if (upper !== "DELETE") {
      const data = upper === "PATCH" ? asPatchOp(field(raw, "data")) : field(raw, "data");
      if (!isObject(data)) throw syntax(`${name}.data must be an object for ${upper}`);
      collectReferences(data, refs);
      op.data = data;
    }
    op.refs = [...refs];
  } catch (e) {
    if (!(e instanceof ScimError)) throw e;
    op.error = e;
    op.refs = [];
  }
  return op;
}

/**
 * RFC 7644 §3.7 describes PATCH data as "a list of operation objects" and its examples leave out `schemas`; clients
 * send either that list or a PatchOp message with or without `schemas`. The message can only be a PatchOp.
 */
function asPatchOp(data: unknown): unknown {
  if (Array.isArray(data)) return { schemas: [PATCH_OP_URN], Operations: data };
  return isObject(data) && field(data, "schemas") === undefined ? { schemas: [PATCH_OP_URN], ...data } : data;
}

/** "/Users" for POST, "/Users/{id}" otherwise (RFC 7644 §3.7 `path`); answered like the same request sent on its own. */
function parsePath(path: string, method: BulkMethod): { endpoint: BulkEndpoint; id?: string } {
  if (!path.startsWith("/") || /[?#]/.test(path)) {
    throw new ScimError(
      400,
      "invalidValue",
      `path '${path}' must be a resource path relative to the SCIM root, e.g. /Users, without a query`,
    );
  }
  const segments = path.replace(/\/$/, "").split("/").slice(1);
  const endpoint = BULK_ENDPOINTS.find((e) => e.toLowerCase() === segments[0]?.toLowerCase());
  if (!endpoint || segments.length > 2 || segments[1] === "")
    throw new ScimError(404, null, `No SCIM endpoint at ${path}`);
  if (segments.length === 1) {
    if (method !== "POST") throw new ScimError(405, null, `Method ${method} is not supported on ${path}`);
    return { endpoint };
  }
  if (method === "POST") throw new ScimError(405, null, `Method POST is not supported on ${path}`);
  let id: string;
  try {
    id = decodeURIComponent(segments[1]);
  } catch {
    throw new ScimError(400, "invalidValue", `path '${path}' is not correctly percent-encoded`);
  }
  return { endpoint, id };
}

/** A bulkId names one resource: two POSTs claiming it both fail, and so does whatever refers to it. */
function refuseDuplicateBulkIds(ops: BulkOperation[]): void {
  const byId = new Map<string, BulkOperation[]>();
  for (const op of ops)
    if (op.method === "POST" && op.bulkId !== undefined) byId.set(op.bulkId, [...(byId.get(op.bulkId) ?? []), op]);
  for (const [bulkId, claimants] of byId) {
    if (claimants.length < 2) continue;
    for (const op of claimants) {
      op.error ??= new ScimError(400, "invalidValue", `bulkId '${bulkId}' is used by more than one POST operation`);
      op.refs = [];
    }
  }
}

/** Message attribute names are case-insensitive (RFC 7643 §2.1): the exact name wins, else any casing of it. */
function field(o: Json, name: string): unknown {
  if (Object.hasOwn(o, name)) return o[name];
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : o[key];
}

const syntax = (detail: string) => new ScimError(400, "invalidSyntax", detail);
const isMethod = (m: string): m is BulkMethod => (METHODS as readonly string[]).includes(m);
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
