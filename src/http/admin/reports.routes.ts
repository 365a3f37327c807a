import { Router } from "express";
import { z } from "zod";
import type { ReconciliationLine } from "../../domain/reports/reconciliation";
import type { ReconciliationService } from "../../domain/reports/reconciliation.service";
import { logger } from "../../log";
import { adminCtx } from "./admin-auth";
import { write } from "./audit-export";
import { csvRow } from "./csv";

/** GET /admin/v1/reports/reconciliation query. */
const ReconciliationQuery = z.strictObject({
  staleDays: z.coerce.number().int().min(1).max(3650).default(30),
  since: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .transform((s) => new Date(s))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

const CSV_COLUMNS = ["kind", "subject_type", "subject_id", "subject_name", "at", "detail", "why", "todo"];

const json = (l: ReconciliationLine) => ({ ...l, at: l.at ? l.at.toISOString() : null });
const csvLine = (l: ReconciliationLine) =>
  csvRow([
    l.kind,
    l.subject.type,
    l.subject.id,
    l.subject.name,
    l.at ? l.at.toISOString() : null,
    JSON.stringify(l.detail),
    l.why,
    l.todo,
  ]);

/**
 * /admin/v1/reports (admins and auditors of the whole organisation). The reconciliation report answers JSON pages
 * (`items`, `next`), or with `Accept: text/csv` the whole report streamed a page at a time.
 */
export function reportsRouter(reconciliation: ReconciliationService): Router {
  const r = Router();

  r.get("/reconciliation", async (req, res) => {
    const q = ReconciliationQuery.parse(req.query);
    const ctx = adminCtx(req, res);
    const request = { staleDays: q.staleDays, since: q.since ?? null, limit: q.limit };
    if (req.accepts(["application/json", "text/csv"]) !== "text/csv") {
      const page = await reconciliation.page(ctx, { ...request, cursor: q.cursor });
      return void res.json({ items: page.items.map(json), next: page.next });
    }
    const pages = reconciliation.all(ctx, { ...request, limit: 500 })[Symbol.asyncIterator]();
    // The first page is read before any header goes out: a refusal or a database outage is still problem+json.
    const first = await pages.next();
    res
      .status(200)
      .type("text/csv; charset=utf-8")
      .set("Content-Disposition", 'attachment; filename="reconciliation.csv"')
      .set("Cache-Control", "no-store");
    try {
      await write(res, csvRow(CSV_COLUMNS));
      for (let page = first; !page.done && !res.destroyed; page = await pages.next()) {
        await write(res, page.value.map(csvLine).join(""));
      }
      res.end();
    } catch (err) {
      // Headers are gone: a truncated transfer, never a short file that looks complete.
      (req.log ?? logger).error({ err }, "reconciliation export failed mid-stream");
      res.destroy();
    }
  });

  return r;
}
