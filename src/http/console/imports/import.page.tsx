import { Router } from "express";
import { csvRow } from "../../admin/csv";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Notice } from "../view/components";
import { Layout } from "../view/layout";
import { sendFragment, sendView } from "../view/render";
import { RESULTS, type ResultName, isOpen } from "./import-names";
import { MappingUsed, Preview, Progress, ProgressBody } from "./import-view";
import { T } from "./imports.texts";

const ROWS = 50;

/**
 * /console/imports/{id}: live progress (htmx polls .../progress; without JavaScript the page refreshes itself while
 * the import runs), counts, cancel, the report, the mapping used and the columns ignored, the rows' outcomes paged;
 * after a dry run, the run for real from the same stored rows and mapping.
 */
export function importPage(d: ConsolePageDeps): Router {
  const r = Router();
  const { imports, importReruns } = d.services;

  r.get("/imports/:id/progress", async (req, res) => {
    const imp = await imports.get(consoleCtx(req, res), req.params.id);
    // Over: the whole page again (its rows, its report, its next step), and the polling stops with it.
    if (!isOpen(imp.status)) res.set("HX-Refresh", "true");
    sendFragment(res, <ProgressBody locals={localsOf(res)} imp={imp} />);
  });

  r.post("/imports/:id/cancel", async (req, res) => {
    const imp = await importReruns.cancel(consoleCtx(req, res), req.params.id);
    res.redirect(303, `/console/imports/${imp.id}?done=cancelled`);
  });

  r.get("/imports/:id/report.csv", async (req, res) => {
    // The same CSV as GET /admin/v1/imports/{id}/report: the file's columns, then result and reason.
    const lines = imports.report(consoleCtx(req, res), req.params.id)[Symbol.asyncIterator]();
    const header = await lines.next(); // an unknown import is still the console's 404 page
    res
      .status(200)
      .type("text/csv; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="import-${req.params.id}-report.csv"`);
    res.write(`\uFEFF${csvRow(header.value ?? [])}`);
    for (let next = await lines.next(); !next.done; next = await lines.next())
      if (!res.write(csvRow(next.value))) await new Promise((ok) => res.once("drain", ok));
    res.end();
  });

  r.get("/imports/:id", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const ctx = consoleCtx(req, res);
    const imp = await imports.get(ctx, req.params.id);
    const q = req.query as Record<string, unknown>;
    const result = (RESULTS as readonly string[]).includes(String(q.result)) ? (q.result as ResultName) : null;
    const after = typeof q.after === "string" && /^\d{1,9}$/.test(q.after) ? Number(q.after) : 0;
    const staged = imp.status === "staged";
    const [{ columns, fields }, page] = staged
      ? [
          { columns: [], fields: [] },
          { items: [], next: null },
        ]
      : await Promise.all([
          importReruns.columns(ctx, imp.id),
          importReruns.rows(ctx, imp.id, { after, limit: ROWS, result }),
        ]);
    const filter = result ? `&result=${encodeURIComponent(result)}` : "";
    const base = `/console/imports/${imp.id}`;
    const admin = locals.principal.role === "admin";
    const open = isOpen(imp.status);
    sendView(
      res,
      <Layout
        locals={locals}
        title={imp.dryRun && !staged ? t.dryRunTitle : t.importTitle}
        section="imports"
        here={req.originalUrl}
      >
        {open ? (
          <noscript>
            <meta http-equiv="refresh" content="2" />
          </noscript>
        ) : null}
        {q.done === "started" ? <Notice>{t.done_started}</Notice> : null}
        {q.done === "cancelled" ? <Notice>{t.done_cancelled}</Notice> : null}
        <p>
          {t.fileName}
          {t.colon}
          <strong>{imp.fileName ?? "—"}</strong>
        </p>
        <Progress locals={locals} imp={imp} />
        <p>
          {staged ? (
            <a class="button" href={`${base}/mapping`}>
              {t.chooseMapping}
            </a>
          ) : (
            <a class="button secondary" href={`${base}/report.csv`} download>
              {t.report}
            </a>
          )}
        </p>
        {admin && (open || staged) ? (
          <form method="post" action={`${base}/cancel`}>
            <CsrfField token={locals.csrfToken} />
            <button type="submit" class="danger">
              {t.cancel}
            </button>
          </form>
        ) : null}
        {admin && imp.status === "failed" && imp.mode === "sync" && imp.error?.startsWith("sync_limit:") ? (
          <section aria-labelledby="over-limit-title">
            <h2 id="over-limit-title">{t.overLimit}</h2>
            <p>{t.overLimitHint}</p>
            <form method="post" action={`${base}/start`}>
              <CsrfField token={locals.csrfToken} />
              <input type="hidden" name="confirm" value="yes" />
              <button type="submit" name="run" value="dry" class="secondary">
                {t.overLimitDry}
              </button>{" "}
              <button type="submit" name="run" value="real" class="danger">
                {t.overLimitReal}
              </button>
            </form>
          </section>
        ) : null}
        {admin && imp.dryRun && imp.status === "succeeded" ? (
          <section aria-labelledby="run-title">
            <h2 id="run-title">{t.runReal}</h2>
            <p>{t.runRealHint}</p>
            <form method="post" action={`${base}/start`}>
              <CsrfField token={locals.csrfToken} />
              <button type="submit" name="run" value="real">
                {t.runReal}
              </button>{" "}
              <a href={`${base}/mapping`}>{t.changeMapping}</a>
            </form>
          </section>
        ) : null}
        {staged ? null : (
          <>
            <MappingUsed locals={locals} imp={imp} />
            <Preview
              locals={locals}
              imp={imp}
              shown={columns.flatMap((label, index) => (fields[index] ? [{ index, label }] : []))}
              rows={page.items}
              result={result}
              next={page.next === null ? null : `${base}?after=${page.next}${filter}`}
              first={after > 0 ? `${base}?after=0${filter}` : null}
            />
          </>
        )}
      </Layout>,
    );
  });

  return r;
}
