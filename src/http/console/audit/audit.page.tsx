import { Router } from "express";
import { DOORS } from "../../../domain/audit-log/audit-log";
import { logger } from "../../../log";
import { sendExport } from "../../admin/audit-export";
import { auditCursor } from "../../admin/audit.schemas";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Field, Notice, Pager, Select } from "../view/components";
import { Layout } from "../view/layout";
import { sendFragment, sendView, wantsFragment } from "../view/render";
import { ChainPlaceholder, ChainResult } from "./audit-chain";
import { auditHref, exportQueryOf, listQueryOf, typedFilters } from "./audit-query";
import { AuditTable } from "./audit-table";
import { T } from "./audit.texts";

/**
 * /console/audit: the audit log with the admin API's filters (parsed by its own parser), paged newest first by cursor;
 * the export of what the filters select (the API's formats, streamed); and the hash chain's verification. Admins and
 * auditors; a reader limited to some entities sees the records about their people only (AuditLogService).
 */
export function auditPage(d: ConsolePageDeps): Router {
  const r = Router();
  const { audit, auditChain } = d.services;

  r.get("/audit", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const typed = typedFilters(req.query as Record<string, unknown>);
    const cursor = typeof req.query.cursor === "string" ? req.query.cursor : undefined;
    const { query, errors } = listQueryOf(typed, cursor);
    const page = query
      ? await audit.page(consoleCtx(req, res), query.filter, {
          order: query.order,
          afterId: query.afterId,
          limit: 50,
        })
      : null;
    const doors = [{ value: "", label: t.anyDoor }, ...DOORS.map((x) => ({ value: x, label: x }))];
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="audit" here={req.originalUrl}>
        <form method="get" action="/console/audit">
          <fieldset>
            <legend>{t.filters}</legend>
            <div class="filters">
              <Field name="actor" label={t.actor} hint={t.actorHint} value={typed.actor} error={errors?.actor} />
              <Select name="door" label={t.door} options={doors} value={typed.door} error={errors?.door} />
              <Field name="action" label={t.action} hint={t.actionHint} value={typed.action} error={errors?.action} />
              <Field name="user" label={t.user} hint={t.subjectHint} value={typed.user} error={errors?.user} />
              <Field name="group" label={t.group} hint={t.subjectHint} value={typed.group} error={errors?.group} />
              <Field
                name="from"
                type="datetime-local"
                label={t.from}
                hint={t.utc}
                value={typed.from}
                error={errors?.from}
              />
              <Field name="to" type="datetime-local" label={t.to} hint={t.utc} value={typed.to} error={errors?.to} />
            </div>
            <button type="submit">{t.apply}</button> <a href="/console/audit">{t.clear}</a>
          </fieldset>
        </form>
        {errors?.cursor ? <Notice kind="error">{errors.cursor}</Notice> : null}
        {page ? <AuditTable lang={locals.language} records={page.records} /> : null}
        <Pager
          prev={cursor ? auditHref("/console/audit", typed) : null}
          next={
            page?.nextAfterId != null && query
              ? auditHref("/console/audit", typed, { cursor: auditCursor(query.order, page.nextAfterId) })
              : null
          }
          labels={{ prev: t.first, next: t.next, nav: t.pages }}
        />
        {errors ? null : (
          <section aria-labelledby="export">
            <h2 id="export">{t.export}</h2>
            <p class="hint">{t.exportHint}</p>
            <ul>
              <li>
                <a href={auditHref("/console/audit/export", typed, { format: "csv" })} download>
                  {t.csv}
                </a>
              </li>
              <li>
                <a href={auditHref("/console/audit/export", typed, { format: "ndjson" })} download>
                  {t.ndjson}
                </a>
              </li>
            </ul>
          </section>
        )}
        <h2 id="chain-title">{t.chain}</h2>
        <ChainPlaceholder lang={locals.language} scoped={locals.principal.entityScope !== null} />
      </Layout>,
      errors ? 400 : 200,
    );
  });

  r.get("/audit/export", async (req, res) => {
    const q = exportQueryOf(typedFilters(req.query as Record<string, unknown>), String(req.query.format ?? ""));
    await sendExport(req, res, q.format, audit.export(consoleCtx(req, res), q.filter, q.order));
  });

  r.get("/audit/chain", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const report = await auditChain.verifyFor(consoleCtx(req, res));
    const result = <ChainResult lang={locals.language} report={report} at={new Date()} />;
    if (wantsFragment(req)) return sendFragment(res, result);
    sendView(
      res,
      <Layout locals={locals} title={t.chain} section="audit" here={req.originalUrl}>
        {result}
        <p>
          <a href="/console/audit">{t.back}</a>
        </p>
      </Layout>,
    );
  });
  return r;
}
