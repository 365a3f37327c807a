import { Router } from "express";
import type { AuditLogService } from "../../domain/audit-log/audit-log.service";
import { logger } from "../../log";
import { adminCtx } from "./admin-auth";
import { auditJson, EXPORT_FORMATS, streamExport } from "./audit-export";
import { auditCursor, parseExportQuery, parseListQuery } from "./audit.schemas";

/** GET /admin/v1/audit (cursor-paged, newest first) and /admin/v1/audit/export (csv or ndjson, streamed). Admins and auditors. */
export function auditRoutes(audit: AuditLogService): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const q = parseListQuery(req.query as Record<string, unknown>);
    const page = await audit.page(adminCtx(req, res), q.filter, {
      order: q.order,
      afterSeq: q.afterSeq,
      limit: q.limit,
    });
    res.json({
      items: page.records.map(auditJson),
      nextCursor: page.nextAfterSeq === null ? null : auditCursor(q.order, page.nextAfterSeq),
    });
  });

  r.get("/export", async (req, res) => {
    const q = parseExportQuery(req.query as Record<string, unknown>);
    const batches = audit.export(adminCtx(req, res), q.filter, q.order);
    // The first batch is read before any header goes out, so a bad database answers 503 problem+json, not a broken file.
    const first = await batches.next();
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    res
      .status(200)
      .type(EXPORT_FORMATS[q.format].type)
      .set("Content-Disposition", `attachment; filename="audit-${stamp}.${q.format}"`)
      .set("Cache-Control", "no-store");
    try {
      await streamExport(
        res,
        q.format,
        (async function* () {
          if (!first.done) yield first.value;
          yield* batches;
        })(),
      );
    } catch (err) {
      (req.log ?? logger).error({ err }, "audit export failed mid-stream");
      res.destroy();
    }
  });

  return r;
}
