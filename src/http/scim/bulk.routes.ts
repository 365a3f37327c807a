import { type Request, type RequestHandler, type Response, Router } from "express";
import { logger } from "../../log";
import { ctxOf } from "../middleware/request-context";
import { findUnstorableText, jsonBody, unstorable } from "../middleware/well-formed-input";
import { type BulkRegistry, bulkResponse, parseBulkRequest, runBulk } from "./bulk";
import { ScimError } from "./scim-errors";
import { SCIM_CONTENT_TYPE, SCIM_JSON_TYPES } from "./scimmy";

export interface ScimBulkOptions {
  registry: BulkRegistry;
  maxOperations: number;
  maxPayloadBytes: number;
  jsonMaxDepth: number;
  baseUrl: (req: Request) => string;
  /** Counts the operations beyond the first against the caller's rate-limit budget (rate-limit.ts); throws a 429 over it. */
  chargeOperations: (req: Request, res: Response, operations: number) => Promise<void>;
}

/** /Bulk (RFC 7644 §3.7). Mounted before the SCIM door's general body parser: it reads its body under its own limit. */
export function scimBulkRouter(o: ScimBulkOptions): Router {
  const r = Router({ caseSensitive: false });
  r.post(
    "/",
    refuseDeclaredOversize(o.maxPayloadBytes),
    parseBody(o.maxPayloadBytes, o.jsonMaxDepth),
    async (req, res) => {
      const envelope = findUnstorableText(withoutData(req.body));
      if (envelope) throw unstorable(envelope);
      const request = parseBulkRequest(req.body, o.maxOperations);
      await o.chargeOperations(req, res, request.operations.length);
      const operations = await runBulk(request, {
        registry: o.registry,
        ctx: ctxOf(req, res, "scim"),
        baseUrl: o.baseUrl(req),
        onUnexpected: (e) => (req.log ?? logger).error({ err: e }, "unhandled error in a SCIM bulk operation"),
      });
      res
        .status(200)
        .type(SCIM_CONTENT_TYPE)
        .send(JSON.stringify(bulkResponse(operations)));
    },
  );
  r.all("/", (req) => {
    throw new ScimError(405, null, `Method ${req.method} is not supported on ${req.originalUrl.split("?")[0]}`);
  });
  return r;
}

const tooLarge = (limit: number) =>
  new ScimError(413, null, `The size of the bulk request exceeds maxPayloadSize (${limit} bytes)`);

/**
 * RFC 7644 §3.7.4: a Content-Length above the limit is refused before a byte of the body is read; the connection is
 * closed after the answer rather than drained.
 */
function refuseDeclaredOversize(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get("content-length"));
    if (!(declared > limit)) return next();
    res.set("Connection", "close");
    next(tooLarge(limit));
  };
}

/**
 * The doors' JSON parser (depth checked at parse time) under the bulk limit; a body that grows past it while streaming
 * (no Content-Length) is a 413 too. Text is checked per operation by the engine, so one bad operation fails alone.
 */
function parseBody(limit: number, maxDepth: number): RequestHandler {
  const [json] = jsonBody({ type: SCIM_JSON_TYPES, limit, strict: false, maxDepth });
  return (req, res, next) =>
    json(req, res, (e?: unknown) => {
      next((e as { type?: string } | undefined)?.type === "entity.too.large" ? tooLarge(limit) : e);
    });
}

/**
 * The request without each operation's `data`: its text is checked here (a bad envelope refuses the whole request),
 * while each operation's data is checked by the engine, so one bad operation fails alone as it would sent alone.
 */
function withoutData(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  const strip = (op: unknown) =>
    isObject(op) ? Object.fromEntries(Object.entries(op).filter(([k]) => k.toLowerCase() !== "data")) : op;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(strip) : v]));
}
