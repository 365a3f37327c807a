import type { ErrorRequestHandler, Response } from "express";
import { ZodError } from "zod";
import { logger } from "../../log";
import { asMalformedInput } from "../middleware/well-formed-input";
import { setRetryAfterOn503 } from "./retry-after";
import { WeakPasswordError } from "../../domain/auth/auth.errors";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  PreconditionFailedError,
  RefusedError,
  UnavailableError,
} from "../../domain/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const TYPE_BASE = "https://roster.dev/problems/";

/** One wrong field of a request. */
export interface FieldProblem {
  field: string;
  code: string;
  detail: string;
}

/** An RFC 9457 problem the admin door answers with; `code` is stable, `type` is derived from it. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function sendProblem(res: Response, p: Problem): void {
  const body = {
    type: TYPE_BASE + p.code,
    title: TITLES[p.status] ?? "Error",
    status: p.status,
    code: p.code,
    detail: p.detail,
    ...(p.field ? { field: p.field } : {}),
    ...(p.errors?.length ? { errors: p.errors } : {}),
  };
  setRetryAfterOn503(res, p.status);
  res.status(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Zod issues as field problems: `entity.parentId`, `ids[3]`. */
export function fromZod(e: ZodError): Problem {
  const errors = e.issues.map((i) => ({
    field: i.path.map((k, n) => (typeof k === "number" ? `[${k}]` : `${n ? "." : ""}${String(k)}`)).join("") || "body",
    code: i.code,
    detail: i.message,
  }));
  return new Problem(
    400,
    "invalid_request",
    errors.map((x) => `${x.field}: ${x.detail}`).join("; "),
    errors[0]?.field,
    errors,
  );
}

/** Domain and unknown errors to problem+json. Domain errors carry their own stable code; unknown ones never leak. */
export function toProblem(e: unknown): Problem {
  if (e instanceof Problem) return e;
  if (e instanceof ZodError) return fromZod(e);
  const malformed = asMalformedInput(e);
  if (malformed) return new Problem(400, malformed.code, malformed.message, malformed.field);
  if (e instanceof NotFoundError) return new Problem(404, "not_found", e.message);
  if (e instanceof ConflictError)
    return new Problem(409, `${e.field}_taken`.replace(/[^\w]/g, "_"), e.message, e.field);
  if (e instanceof InvalidError) return new Problem(400, "invalid_value", e.message, e.field);
  if (e instanceof PreconditionFailedError) return new Problem(412, "version_mismatch", e.message);
  if (e instanceof ForbiddenError) return new Problem(403, "forbidden", e.message);
  if (e instanceof RefusedError) return new Problem(e.kind === "forbidden" ? 403 : 409, e.code, e.message, e.field);
  if (e instanceof WeakPasswordError) {
    return new Problem(
      400,
      e.code,
      e.message,
      e.field,
      e.violations.map((v) => ({ field: e.field, code: v.rule, detail: `${e.field} ${v.detail}` })),
    );
  }
  if (e instanceof UnavailableError)
    return new Problem(503, "unavailable", "The database is unavailable; try again shortly");
  if (e instanceof DomainError) return new Problem(400, e.code, e.message);
  const bodyError = e as { type?: string; status?: number };
  if (bodyError.type === "entity.parse.failed")
    return new Problem(400, "invalid_json", "The request body is not valid JSON");
  if (bodyError.type === "entity.too.large")
    return new Problem(413, "payload_too_large", "The request body is too large");
  if (bodyError.type === "encoding.unsupported" || bodyError.type === "charset.unsupported")
    return new Problem(415, "unsupported_encoding", "Unsupported body encoding");
  return new Problem(500, "internal", "An unexpected error occurred; it has been logged");
}

export const problemErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const p = toProblem(err);
  if (p.status >= 500 && p.status !== 503) (req.log ?? logger).error({ err }, "admin request failed");
  if (res.headersSent) return void res.end();
  sendProblem(res, p);
};
