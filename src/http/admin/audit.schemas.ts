import { z } from "zod";
import { type AuditFilter, type AuditOrder, DOORS } from "../../domain/audit-log/audit-log";
import type { Door } from "../../domain/context";
import { NOT_A_CURSOR, cursorText, encodeCursor } from "../../domain/cursor";
import { Problem } from "../shared/problem";

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "must be an ISO 8601 date-time with a zone (2026-01-31T12:00:00Z) or a date (2026-01-31, midnight UTC)",
  })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));
// Any 8-4-4-4-12 hex id (not only RFC 9562 versions): ids are compared as text, never cast.
const uuid = z.guid({ error: "must be a UUID" });
// `user.updated` exact; `user.` or `user.*` a prefix.
const action = z
  .string()
  .regex(/^[\w-]+(\.[\w-]+)*(\.|\.\*)?$/, {
    error: "an action such as user.updated, or a prefix such as user. or user.*",
  })
  .max(200);

const filterShape = {
  actor: z.string().min(1).max(256).optional(),
  door: z.enum(DOORS as [Door, ...Door[]]).optional(),
  action: action.optional(),
  user: uuid.optional(),
  group: uuid.optional(),
  from: instant.optional(),
  to: instant.optional(),
  order: z.enum(["desc", "asc"]).optional(),
};

const listSchema = z.object({
  ...filterShape,
  limit: z.coerce.number({ error: "must be a whole number >= 1" }).int().min(1).optional(),
  cursor: z.string().max(200).optional(),
});

const exportSchema = z.object({ ...filterShape, format: z.enum(["csv", "ndjson"]) });

type FilterQuery = z.infer<z.ZodObject<typeof filterShape>>;

function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, unknown>): z.infer<S> {
  const unknown = Object.keys(query).find((k) => !(k in schema.shape));
  if (unknown)
    throw new Problem(
      400,
      "invalid_request",
      `${unknown}: unknown query parameter (known: ${Object.keys(schema.shape).join(", ")})`,
      unknown,
    );
  const q = schema.parse(query);
  if (q.from && q.to && q.from > q.to) throw new Problem(400, "invalid_request", "to: must not be before from", "to");
  return q;
}

function toFilter(q: FilterQuery): AuditFilter {
  const prefix = q.action?.endsWith(".*") ? q.action.slice(0, -1) : q.action?.endsWith(".") ? q.action : undefined;
  return {
    actor: q.actor,
    door: q.door,
    from: q.from,
    to: q.to,
    userId: q.user,
    groupId: q.group,
    ...(prefix ? { actionPrefix: prefix } : { action: q.action }),
  };
}

export interface AuditListQuery {
  filter: AuditFilter;
  order: AuditOrder;
  limit: number;
  afterId?: number;
}

/** GET /admin/v1/audit query: filters, order (newest first by default), limit (capped), opaque cursor. */
export function parseListQuery(query: Record<string, unknown>): AuditListQuery {
  const q = parseQuery(listSchema, query);
  const order = q.order ?? "desc";
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (cursor && cursor.order !== order)
    throw new Problem(
      400,
      "invalid_request",
      `cursor: it continues a ${cursor.order} listing; pass order=${cursor.order} or drop the cursor`,
      "cursor",
    );
  return {
    filter: toFilter(q),
    order,
    limit: Math.min(q.limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX),
    afterId: cursor?.id,
  };
}

/** GET /admin/v1/audit/export query: the same filters, oldest first by default, and a format. */
export function parseExportQuery(query: Record<string, unknown>): {
  filter: AuditFilter;
  order: AuditOrder;
  format: "csv" | "ndjson";
} {
  const q = parseQuery(exportSchema, query);
  return { filter: toFilter(q), order: q.order ?? "asc", format: q.format };
}

/** Cursors are opaque to clients: base64url of `v2.<order>.<id>` (v1 carried a seq: pages were in seq order then). */
export const auditCursor = (order: AuditOrder, id: number) => encodeCursor(`v2.${order}.${id}`);

function decodeCursor(cursor: string): { order: AuditOrder; id: number } {
  const m = /^v2\.(desc|asc)\.(\d{1,15})$/.exec(cursorText(cursor) ?? "");
  if (!m) throw new Problem(400, "invalid_request", `cursor: ${NOT_A_CURSOR}`, "cursor");
  return { order: m[1] as AuditOrder, id: Number(m[2]) };
}
