import { Router } from "express";
import { z } from "zod";
import type { JobItem, JobView } from "../../domain/jobs/job";
import type { JobsService } from "../../domain/jobs/jobs.service";
import { adminCtx } from "./admin-auth";
import { NOT_A_CURSOR, cursorText, encodeCursor } from "../../domain/cursor";
import { Problem } from "../shared/problem";

const resultsQuery = z.strictObject({
  outcome: z.enum(["done", "skipped", "failed", "not_found", "pending"]).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .transform((n) => Math.min(n, 1000)),
});

/** `GET /admin/v1/jobs/{id}` (progress) and `/jobs/{id}/results` (per-user outcomes, paged). */
export function jobsRouter(jobs: JobsService): Router {
  const r = Router();

  r.get("/:id", async (req, res) => {
    res.json(presentJob(await jobs.get(adminCtx(req, res), req.params.id)));
  });

  r.get("/:id/results", async (req, res) => {
    const q = resultsQuery.parse(req.query);
    const after = q.cursor === undefined ? 0 : decodeSeq(q.cursor);
    const items = await jobs.results(adminCtx(req, res), req.params.id, q.outcome ?? null, after, q.limit + 1);
    const page = items.slice(0, q.limit);
    const next = items.length > q.limit ? encodeCursor(String(page[page.length - 1].seq)) : null;
    res.json({ items: page.map(presentItem), nextCursor: next });
  });

  return r;
}

function decodeSeq(cursor: string): number {
  const text = cursorText(cursor) ?? "";
  const n = Number(text);
  if (!/^\d{1,10}$/.test(text) || n > 2 ** 31)
    throw new Problem(400, "invalid_value", `cursor: ${NOT_A_CURSOR}`, "cursor");
  return n;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentJob(j: JobView): Record<string, unknown> {
  return {
    id: j.id,
    kind: j.kind,
    action: j.action,
    status: j.status,
    total: j.total,
    done: j.done,
    skipped: j.skipped,
    failed: j.failed,
    notFound: j.notFound,
    pending: j.pending,
    selection: j.selection,
    requestedBy: j.requestedBy,
    createdAt: iso(j.createdAt),
    startedAt: iso(j.startedAt),
    finishedAt: iso(j.finishedAt),
    results: `/admin/v1/jobs/${j.id}/results`,
  };
}

const presentItem = (i: JobItem) => ({
  id: i.userId,
  outcome: i.outcome ?? "pending",
  ...(i.reason ? { reason: i.reason } : {}),
  processedAt: iso(i.processedAt),
});
