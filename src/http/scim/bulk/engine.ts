import type { Ctx } from "../../../domain/context";
import { findUnstorableText } from "../../middleware/well-formed-input";
import { ifMatchOf } from "../etag";
import { ScimError, toScimError } from "../scim-errors";
import { resolveReferences } from "./references";
import type { BulkOperation, BulkRequest } from "./request";
import { type BulkOperationResponse, failed, succeeded } from "./response";
import type { BulkRegistry, BulkWriteResult } from "./target";

export interface BulkRun {
  registry: BulkRegistry;
  /** One context for every operation: the same actor, door and request id in each audit record. */
  ctx: Ctx;
  baseUrl: string;
  /** Told of errors that are no client's fault; that operation is answered 500. */
  onUnexpected(e: unknown): void;
}

interface Outcome {
  response: BulkOperationResponse;
  createdId?: string;
}

/**
 * Runs a BulkRequest (RFC 7644 §3.7): each operation on its own, through the same handlers as a single request (so each
 * is its own transaction with its own audit record), in an order that creates every `bulkId` before the operations
 * that refer to it (§3.7.2). Stops once `failOnErrors` operations failed; those not run are not reported (§3.7.3).
 * Answers in request order.
 */
export async function runBulk(request: BulkRequest, run: BulkRun): Promise<BulkOperationResponse[]> {
  const defined = new Set(
    request.operations.filter((op) => op.method === "POST" && op.bulkId !== undefined).map((op) => op.bulkId!),
  );
  const created = new Map<string, string>();
  const failedIds = new Set<string>();
  const settled = (ref: string) => created.has(ref) || failedIds.has(ref) || !defined.has(ref);
  const answers: { index: number; response: BulkOperationResponse }[] = [];
  const maxErrors = request.failOnErrors ?? Infinity;
  let errors = 0;
  const pending = [...request.operations];

  while (pending.length > 0 && errors < maxErrors) {
    const ready = pending.findIndex((op) => op.refs.every(settled));
    if (ready < 0) {
      // Every operation left waits, directly or not, on a circle of references (§3.7.1): each fails with 409.
      for (const op of pending.splice(0)) {
        if (errors >= maxErrors) break;
        answers.push({ index: op.index, response: failed(op, circular(op, settled)) });
        errors++;
      }
      break;
    }
    const op = pending.splice(ready, 1)[0];
    const outcome = await execute(op, run, { defined, created, failedIds });
    answers.push({ index: op.index, response: outcome.response });
    if (outcome.createdId !== undefined) created.set(op.bulkId!, outcome.createdId);
    else if (op.method === "POST" && op.bulkId !== undefined) failedIds.add(op.bulkId);
    if (outcome.response.response) errors++;
  }
  return answers.sort((a, b) => a.index - b.index).map((a) => a.response);
}

interface References {
  defined: ReadonlySet<string>;
  created: ReadonlyMap<string, string>;
  failedIds: ReadonlySet<string>;
}

async function execute(op: BulkOperation, run: BulkRun, refs: References): Promise<Outcome> {
  if (op.error) return { response: failed(op, op.error) };
  const unknown = op.refs.find((r) => !refs.defined.has(r));
  if (unknown !== undefined) {
    return {
      response: failed(
        op,
        new ScimError(400, "invalidValue", `bulkId:${unknown} is not the bulkId of any POST operation in this request`),
      ),
    };
  }
  const lost = op.refs.find((r) => refs.failedIds.has(r));
  if (lost !== undefined) {
    return {
      response: failed(
        op,
        new ScimError(409, "invalidValue", `bulkId:${lost} cannot be resolved: the operation that creates it failed`),
      ),
    };
  }
  const endpoint = op.endpoint!;
  const id = op.id === undefined ? undefined : (resolveReferences(op.id, refs.created) as string);
  const location = id === undefined ? undefined : `${run.baseUrl}/${endpoint}/${encodeURIComponent(id)}`;
  // What the door checks for a single request (bulk.routes.ts checks the rest): text PostgreSQL cannot store fails this operation alone.
  const unstorable = findUnstorableText({ data: op.data });
  if (unstorable)
    return {
      response: failed(
        op,
        new ScimError(
          400,
          "invalidValue",
          `${unstorable}: contains a lone UTF-16 surrogate or a NUL character, which is not valid text`,
        ),
      ),
    };
  const target = run.registry[endpoint];
  if (!target) return { response: failed(op, new ScimError(501, null, `/${endpoint} is not supported yet`), location) };
  try {
    // `version` is an If-Match (§3.7): it means nothing to a create.
    const ifMatch = op.method === "POST" ? undefined : ifMatchOf(op.version, "version");
    const data = resolveReferences(op.data, refs.created);
    let result: BulkWriteResult;
    if (op.method === "POST") result = await target.create(run.ctx, data, run.baseUrl);
    else if (op.method === "PUT") result = await target.replace(run.ctx, id!, data, run.baseUrl, ifMatch);
    else if (op.method === "PATCH") result = await target.patch(run.ctx, id!, data, run.baseUrl, ifMatch);
    else result = await target.delete(run.ctx, id!, ifMatch);
    return { response: succeeded(op, result, location), createdId: op.method === "POST" ? idOf(result) : undefined };
  } catch (e) {
    return { response: failed(op, asScimError(e, run), location) };
  }
}

function asScimError(e: unknown, run: BulkRun): ScimError {
  const mapped = toScimError(e);
  if (mapped) return mapped;
  run.onUnexpected(e);
  return new ScimError(500, null, "Internal server error");
}

function circular(op: BulkOperation, settled: (ref: string) => boolean): ScimError {
  const ref = op.refs.find((r) => !settled(r));
  return new ScimError(
    409,
    "invalidValue",
    `bulkId:${ref} cannot be resolved: it is part of a circular reference, or waits on one`,
  );
}

/** The id of a created resource: its SCIM `id`, else the last segment of its location. */
function idOf(result: BulkWriteResult): string | undefined {
  const id = result.resource?.id;
  if (typeof id === "string") return id;
  return result.location ? decodeURIComponent(result.location.split("/").pop()!) : undefined;
}
