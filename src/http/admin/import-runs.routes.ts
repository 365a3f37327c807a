import { Router } from "express";
import { z } from "zod";
import { IMPORT_FIELDS } from "../../domain/imports/import";
import type { ImportRerunsService } from "../../domain/imports/import-reruns.service";
import { adminCtx } from "./admin-auth";
import { presentImport } from "./imports.routes";

/** POST /imports/{id}/start: how the new run reads the stored rows. */
const StartBody = z.strictObject({
  dryRun: z.boolean().default(false),
  mapping: z.record(z.string().max(200), z.enum(IMPORT_FIELDS).nullable()).nullable().default(null),
  confirm: z.boolean().optional(),
});

/** The results a preview may be narrowed to. */
const RESULTS = ["created", "updated", "unchanged", "skipped", "failed", "duplicate", "not done"] as const;

const RowsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.coerce.number().int().min(0).default(0),
  result: z.enum(RESULTS).optional(),
});

/**
 * /admin/v1/imports/{id}/start and /rows (decision 0147): a file uploaded once (`stage=true`, or any earlier import)
 * run again over its stored rows with a mapping, dry run or for real; and the rows with what each came to, paged.
 */
export function importRunsRouter(reruns: ImportRerunsService): Router {
  const r = Router();

  r.post("/:id/start", async (req, res) => {
    const body = StartBody.parse(req.body ?? {});
    const started = await reruns.startFrom(adminCtx(req, res), req.params.id, body);
    res.status(202).location(`/admin/v1/imports/${started.id}`).json(presentImport(started));
  });

  r.get("/:id/rows", async (req, res) => {
    const q = RowsQuery.parse(req.query);
    const page = await reruns.rows(adminCtx(req, res), req.params.id, {
      after: q.after,
      limit: q.limit,
      result: q.result ?? null,
    });
    res.json({
      items: page.items.map((row) => ({ ...row, result: row.result ?? "not done", reason: row.reason })),
      next: page.next,
    });
  });

  r.get("/:id/columns", async (req, res) => {
    res.json(await reruns.columns(adminCtx(req, res), req.params.id));
  });

  return r;
}
