import { type Request, type Response, Router } from "express";
import type { VNode } from "preact";
import type { JobItem, JobView } from "../../../domain/jobs/job";
import { formatCount, formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Notice } from "../view/components";
import { Layout } from "../view/layout";
import { sendFragment, sendView, wantsFragment } from "../view/render";
import { JobProblems } from "./job-problems";
import { T } from "./job-progress.texts";
import { fill } from "./people-list.texts";
import { RecentJobs } from "./recent-jobs";

/** Skipped, failed and not-found people listed per outcome on a job's page (the admin API pages the rest). */
export const PROBLEMS_SHOWN = 50;
const PROBLEM_OUTCOMES = ["failed", "skipped", "not_found"] as const;

/**
 * GET /console/jobs/{id}: a mass action's progress, live. While it runs, the progress region asks htmx to fetch it
 * again every 2 seconds (the answer to an htmx request is the region alone; once done it carries no trigger, so the
 * polling stops) and, without JavaScript, the page refreshes itself every 2 seconds. GET /console/jobs: the newest
 * jobs (an admin limited to some entities sees only theirs, as the service decides).
 */
export function jobProgressPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/jobs", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const jobs = await d.services.jobs.recent(consoleCtx(req, res), 50);
    sendView(
      res,
      <Layout locals={locals} title={t.listTitle} section="people" here={req.originalUrl}>
        <RecentJobs lang={locals.language} jobs={jobs} />
      </Layout>,
    );
  });

  r.get("/jobs/:id", async (req, res) => {
    const ctx = consoleCtx(req, res);
    const job = await d.services.jobs.get(ctx, req.params.id);
    const problems = (
      await Promise.all(PROBLEM_OUTCOMES.map((o) => d.services.jobs.results(ctx, job.id, o, 0, PROBLEMS_SHOWN + 1)))
    ).flat();
    const people = await d.services.search.summariesOf(
      ctx,
      problems.map((i) => i.userId),
    );
    const progress = <JobProgress lang={localsOf(res).language} job={job} problems={problems} people={people} />;
    if (wantsFragment(req)) return sendFragment(res, progress);
    sendJobPage(req, res, job, progress);
  });
  return r;
}

function sendJobPage(req: Request, res: Response, job: JobView, progress: VNode): void {
  const locals = localsOf(res);
  const t = T[locals.language];
  const action = t[`action.${job.action}` as keyof typeof t] ?? job.action;
  sendView(
    res,
    <Layout locals={locals} title={fill(t.title, { action })} section="people" here={req.originalUrl}>
      {job.status !== "done" ? (
        // Without JavaScript the page reloads itself; with it htmx polls the region instead (noscript is inert then).
        <noscript>
          <meta http-equiv="refresh" content="2" />
        </noscript>
      ) : null}
      {req.query.done ? <Notice>{t.started}</Notice> : null}
      {progress}
      <p>
        <a href="/console/people">{t.back}</a> · <a href="/console/jobs">{t.listTitle}</a>
      </p>
    </Layout>,
  );
}

interface JobProgressProps {
  lang: "en" | "fr";
  job: JobView;
  problems: JobItem[];
  people: { id: string; userName: string; givenName: string | null; familyName: string | null }[];
}

/** The live region: status in words, a progress bar with its figures in text, the counts, and who failed and why. */
function JobProgress({ lang, job, problems, people }: JobProgressProps) {
  const t = T[lang];
  const processed = job.total - job.pending;
  const running = job.status !== "done";
  const count = (n: number) => formatCount(lang, n);
  return (
    <section
      id="job-progress"
      role="status"
      aria-live="polite"
      hx-get={running ? `/console/jobs/${job.id}` : undefined}
      hx-trigger={running ? "every 2s" : undefined}
      hx-swap={running ? "outerHTML" : undefined}
    >
      <h2>{t.progress}</h2>
      <p>
        <strong class={`badge ${running ? "" : "on"}`}>{t[`status.${job.status}`]}</strong>{" "}
        {fill(t.processed, { n: count(processed), total: count(job.total) })}
      </p>
      <progress max={Math.max(job.total, 1)} value={job.total === 0 ? 1 : processed}>
        {fill(t.processed, { n: count(processed), total: count(job.total) })}
      </progress>
      <dl class="facts">
        <dt>{t.done}</dt>
        <dd id="job-done">{count(job.done)}</dd>
        <dt>{t.skipped}</dt>
        <dd id="job-skipped">{count(job.skipped)}</dd>
        <dt>{t.failed}</dt>
        <dd id="job-failed">{count(job.failed)}</dd>
        <dt>{t.notFound}</dt>
        <dd>{count(job.notFound)}</dd>
        <dt>{t.pending}</dt>
        <dd>{count(job.pending)}</dd>
        <dt>{t.requestedBy}</dt>
        <dd>{job.requestedBy ?? ""}</dd>
        <dt>{t.createdAt}</dt>
        <dd>{formatInstant(lang, job.createdAt)}</dd>
        {job.finishedAt ? (
          <>
            <dt>{t.finishedAt}</dt>
            <dd>{formatInstant(lang, job.finishedAt)}</dd>
          </>
        ) : null}
      </dl>
      <JobProblems lang={lang} problems={problems} people={people} shown={PROBLEMS_SHOWN} />
    </section>
  );
}
