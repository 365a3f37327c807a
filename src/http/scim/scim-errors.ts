import type { ErrorRequestHandler, Response } from "express";
import {
  ConflictError,
  DomainError,
  InvalidError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from "../../domain/errors";
import { logger } from "../../log";
import { asMalformedInput } from "../middleware/well-formed-input";
import { FilterError } from "./filter";
import { setRetryAfterOn503 } from "../shared/retry-after";
import { SCIM_CONTENT_TYPE } from "./scimmy";

const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/** An error the SCIM door answers with as it is (RFC 7644 §3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * scimmy throws SCIMMY.Types.Error (status, scimType) for what it recognises and plain TypeErrors for values
 * of the wrong type; from a call that parses client input, both are the client's fault.
 */
export function fromScimmy(e: unknown, scimType: string | null, detail: string): ScimError {
  const err = e as { status?: unknown; scimType?: string | null; message?: string };
  return new ScimError(
    typeof err.status === "number" ? err.status : 400,
    err.scimType ?? scimType,
    err.message ?? detail,
  );
}

/** An RFC 7644 §3.12 error body; `status` is a string, as the RFC's examples send it. */
export function scimErrorBody(status: number, scimType: string | null, detail: string): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [ERROR_URN], status: String(status), detail };
  if (scimType) body.scimType = scimType;
  return body;
}

export function sendScimError(res: Response, status: number, scimType: string | null, detail: string): void {
  setRetryAfterOn503(res, status);
  res
    .status(status)
    .type(SCIM_CONTENT_TYPE)
    .send(JSON.stringify(scimErrorBody(status, scimType, detail)));
}

/** Maps domain errors, scimmy errors and body-parser errors to SCIM error bodies; anything unknown is a 500 without internals. */
export function toScimError(e: unknown): ScimError | null {
  if (e instanceof ScimError) return e;
  const malformed = asMalformedInput(e);
  if (malformed) return new ScimError(400, malformed.scimType, malformed.message);
  if (e instanceof FilterError) return new ScimError(400, e.scimType, e.message);
  if (e instanceof DomainError) return fromDomain(e);
  const err = e as { status?: unknown; statusCode?: unknown; scimType?: unknown; type?: unknown; message?: string };
  // scimmy's SCIMMY.Types.Error carries a numeric status and a scimType.
  if (typeof err.status === "number" && "scimType" in err) {
    return new ScimError(err.status, (err.scimType as string | null) ?? null, err.message ?? "invalid request");
  }
  if (err.type === "entity.too.large")
    return new ScimError(413, null, "The request body is larger than the service accepts");
  if (err.type === "entity.parse.failed")
    return new ScimError(400, "invalidSyntax", "The request body is not valid JSON");
  if (err.type === "encoding.unsupported" || err.type === "charset.unsupported")
    return new ScimError(415, null, err.message ?? "unsupported encoding");
  return null;
}

function fromDomain(e: DomainError): ScimError {
  if (e instanceof NotFoundError) return new ScimError(404, null, `${e.resource} ${e.id} not found`);
  if (e instanceof ConflictError) return new ScimError(409, "uniqueness", e.message);
  // RFC 9865 §2.1: a cursor the list cannot read back is invalidCursor.
  if (e instanceof InvalidError)
    return new ScimError(400, e.field === "cursor" ? "invalidCursor" : "invalidValue", e.message);
  if (e instanceof PreconditionFailedError) return new ScimError(412, null, e.message);
  if (e instanceof UnavailableError)
    return new ScimError(503, null, "The service is temporarily unavailable, retry later");
  return new ScimError(403, null, e.message);
}

export const scimErrorHandler: ErrorRequestHandler = (e: unknown, req, res, _next) => {
  const mapped = toScimError(e);
  if (mapped) return sendScimError(res, mapped.status, mapped.scimType, mapped.message);
  (req as { log?: typeof logger }).log?.error({ err: e }, "unhandled error in SCIM request") ??
    logger.error({ err: e });
  sendScimError(res, 500, null, "Internal server error");
};
