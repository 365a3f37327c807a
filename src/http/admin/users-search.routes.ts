import { Router } from "express";
import type { UserSummary, UsersSearch } from "../../domain/users/users.search";
import type { UserActionsService } from "../../domain/jobs/users-actions.service";
import { adminCtx } from "./admin-auth";
import { presentJob } from "./jobs.routes";
import { parseActionsBody, parseSearchQuery } from "./users-search.schemas";

export interface UsersSearchDeps {
  search: UsersSearch;
  actions: UserActionsService;
}

/**
 * `GET /admin/v1/users` (search) and `POST /admin/v1/users/actions` (mass actions). Mounted at /users beside the
 * router of single users, which owns `/users/{id}…`; this one answers only `/` (GET) and `/actions`.
 */
export function usersSearchRouter(d: UsersSearchDeps): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const query = parseSearchQuery(req.query);
    const page = await d.search.search(adminCtx(req, res), query);
    res.json({ items: page.items.map(presentSummary), nextCursor: page.nextCursor, limit: query.limit });
  });

  r.post("/actions", async (req, res) => {
    const { action, selection } = parseActionsBody(req.body);
    const answer = await d.actions.run(adminCtx(req, res), action, selection);
    if (answer.mode === "job") {
      res.status(202).location(`/admin/v1/jobs/${answer.job.id}`).json(presentJob(answer.job));
      return;
    }
    const count = (o: string) => answer.results.filter((x) => x.outcome === o).length;
    res.json({
      action,
      jobId: answer.jobId,
      total: answer.results.length,
      done: count("done"),
      skipped: count("skipped"),
      failed: count("failed"),
      notFound: count("not_found"),
      results: answer.results,
    });
  });

  return r;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSummary(u: UserSummary): Record<string, unknown> {
  return {
    ...u,
    invitedAt: iso(u.invitedAt),
    enrolledAt: iso(u.enrolledAt),
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: iso(u.createdAt),
  };
}
