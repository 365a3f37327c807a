import { type ScimError, scimErrorBody } from "../scim-errors";
import { etagOf } from "../user.mapper";
import type { BulkOperation } from "./request";
import type { BulkWriteResult } from "./target";

export const BULK_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

/** One entry of a BulkResponse's Operations (RFC 7644 §3.7): `status` is a string, as in the RFC's examples. */
export interface BulkOperationResponse {
  method?: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  /** The SCIM error body of a failed operation; omitted on success (§3.7: the server MAY omit it). */
  response?: Record<string, unknown>;
}

/** The answer for an operation that ran; `location` defaults to the one the handler reported. */
export function succeeded(op: BulkOperation, result: BulkWriteResult, location?: string): BulkOperationResponse {
  return compact({
    method: op.method,
    bulkId: op.bulkId,
    version: result.version === undefined ? undefined : etagOf(result.version),
    location: result.location ?? location,
    status: String(result.status),
  });
}

/** The answer for an operation that failed: its SCIM error, as the same request sent alone would get (§3.12). */
export function failed(op: BulkOperation, error: ScimError, location?: string): BulkOperationResponse {
  return compact({
    method: op.method,
    bulkId: op.bulkId,
    location,
    status: String(error.status),
    response: scimErrorBody(error.status, error.scimType, error.message),
  });
}

/** The BulkResponse message (RFC 7644 §3.7.3). */
export function bulkResponse(operations: BulkOperationResponse[]): Record<string, unknown> {
  return { schemas: [BULK_RESPONSE_URN], Operations: operations };
}

function compact(r: BulkOperationResponse): BulkOperationResponse {
  for (const k of Object.keys(r) as (keyof BulkOperationResponse)[]) if (r[k] === undefined) delete r[k];
  return r;
}
