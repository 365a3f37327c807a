import { Router } from "express";
import type { AuditLogService } from "../../domain/audit-log/audit-log.service";
import { logger } from "../../log";
import { adminCtx } from "./admin-auth";
import { auditJson, sendExport } from "./audit-export";
import { auditCursor, parseExportQuery, parseListQuery } from "./audit.schemas";

/** GET /admin/v1/audit (cursor-paged, newest first) and /admin/v1/audit/export (csv or ndjson, streamed). Admins and auditors. */
export function auditRoutes(audit: AuditLogService): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const q = parseListQuery(req.query as Record<string, unknown>);
    const page = await audit.page(adminCtx(req, res), q.filter, {
      order: q.order,
      afterId: q.afterId,
      limit: q.limit,
    });
    res.json({
      items: page.records.map(auditJson),
      nextCursor: page.nextAfterId === null ? null : auditCursor(q.order, page.nextAfterId),
    });
  });

  r.get("/export", async (req, res) => {
    const q = parseExportQuery(req.query as Record<string, unknown>);
    await sendExport(req, res, q.format, audit.export(adminCtx(req, res), q.filter, q.order));
  });

  return r;
}
