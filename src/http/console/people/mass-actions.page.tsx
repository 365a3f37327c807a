import { Router } from "express";
import { z } from "zod";
import { USER_ACTIONS, type UserAction } from "../../../domain/jobs/users-actions.service";
import { parseActionsBody } from "../../admin/users-search.schemas";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { narrows, readFilterForm, toSearchFilter } from "./people-filters";
import { showPeople } from "./people-list.page";
import { T } from "./people-list.texts";

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

/**
 * POST /console/people/actions: the mass action of the list (admins only; the shell refuses auditors' posts) through
 * the admin API's own parsing and use case (`actions.run`): a job is recorded with one item per person, worked
 * through at once when small or by the runners, and the admin lands on its progress page. A refused request (nothing
 * selected, no filter for "all", an id that is not one) re-renders the list with the selection kept, 400.
 */
export function massActionsPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.post("/people/actions", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const t = T[localsOf(res).language];
    const { form, invalid } = readFilterForm(Object.fromEntries(new URLSearchParams(String(body.filter ?? ""))));
    const ids = list(body.ids);
    const action = String(body.action ?? "");
    const all = body.target === "all";
    const refuse = (error: string) =>
      showPeople(d, req, res, { form, invalid, trail: [], error, checked: new Set(ids), status: 400 });

    if (!(USER_ACTIONS as readonly string[]).includes(action)) return refuse(t.unknownAction);
    if (all && !narrows(form)) return refuse(t.emptyFilter);
    if (!all && ids.length === 0) return refuse(t.noneSelected);
    let parsed: ReturnType<typeof parseActionsBody>;
    try {
      parsed = parseActionsBody(all ? { action, filter: toSearchFilter(form) } : { action: action as UserAction, ids });
    } catch (e) {
      if (!(e instanceof z.ZodError)) throw e;
      return refuse(e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }
    const answer = await d.services.actions.run(consoleCtx(req, res), parsed.action, parsed.selection);
    const jobId = answer.mode === "job" ? answer.job.id : answer.jobId;
    res.redirect(303, `/console/jobs/${jobId}?done=${parsed.action}`);
  });
  return r;
}
