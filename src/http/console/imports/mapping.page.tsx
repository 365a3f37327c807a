import { type Request, type Response, Router } from "express";
import { IMPORT_FIELDS, type ImportField } from "../../../domain/imports/import";
import { mappingOfFields } from "../../../domain/imports/import-columns.rules";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Notice, Select } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { FIELD_NAMES, MODE_NAMES } from "./import-names";
import { type FormRefusal, refusalOf } from "./import-errors";
import { T } from "./imports.texts";

const isField = (v: unknown): v is ImportField =>
  typeof v === "string" && (IMPORT_FIELDS as readonly string[]).includes(v);

/**
 * /console/imports/{id}/mapping: one drop-down per column of the stored file, pre-filled with the field its label is
 * read as (the import's own matching), "ignore" for the others; then a dry run, or the run, started from the stored
 * rows (POST .../start: the file is never sent twice). The run for real after a dry run posts here without columns:
 * the dry run's own mapping.
 */
export function mappingPages(d: ConsolePageDeps): Router {
  const r = Router();
  const { imports, importReruns } = d.services;

  const show = async (
    req: Request,
    res: Response,
    chosen: (ImportField | null)[] | null,
    refusal: FormRefusal | null,
  ) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const ctx = consoleCtx(req, res);
    const imp = await imports.get(ctx, String(req.params.id));
    const { columns, fields } = await importReruns.columns(ctx, imp.id);
    const sample = await importReruns.rows(ctx, imp.id, { after: 0, limit: 3, result: null });
    const selected = chosen ?? fields;
    const options = [
      { value: "", label: t.ignore },
      ...IMPORT_FIELDS.map((f) => ({ value: f, label: FIELD_NAMES[locals.language][f] })),
    ];
    sendView(
      res,
      <Layout locals={locals} title={t.mappingTitle} section="imports" here={req.originalUrl}>
        {refusal?.general ? <Notice kind="error">{refusal.general}</Notice> : null}
        <p>{t.mappingIntro}</p>
        <p>
          {t.fileName}
          {t.colon}
          <strong>{imp.fileName ?? "—"}</strong> · {MODE_NAMES[locals.language][imp.mode]}
        </p>
        <form method="post" action={`/console/imports/${imp.id}/start`}>
          <CsrfField token={locals.csrfToken} />
          <fieldset>
            <legend>{t.mappingTitle}</legend>
            {columns.map((label, i) => {
              const examples = sample.items.map((row) => row.cells[i] ?? "").filter((v) => v.trim() !== "");
              return (
                <div>
                  <Select
                    name={`col${i}`}
                    label={`${t.column} ${i + 1}${t.colon}${label || t.unnamed}`}
                    value={selected[i] ?? ""}
                    error={refusal?.fields[`col${i}`]}
                    options={options}
                  />
                  {examples.length ? (
                    <p class="hint">
                      {t.example} {examples.join(" · ")}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
          {locals.principal.role === "admin" ? (
            <p>
              <button type="submit" name="run" value="dry">
                {t.startDry}
              </button>{" "}
              <button type="submit" name="run" value="real" class="secondary">
                {t.startReal}
              </button>
            </p>
          ) : null}
        </form>
      </Layout>,
      refusal?.status ?? 200,
    );
  };

  r.get("/imports/:id/mapping", async (req, res) => {
    await show(req, res, null, null);
  });

  r.post("/imports/:id/start", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ctx = consoleCtx(req, res);
    const t = T[localsOf(res).language];
    const colKeys = Object.keys(body).filter((k) => /^col\d+$/.test(k));
    let chosen: (ImportField | null)[] | null = null;
    try {
      let mapping: Record<string, ImportField | null> | null = null;
      if (colKeys.length) {
        const { columns } = await importReruns.columns(ctx, String(req.params.id));
        const picked = columns.map((_, i) => (isField(body[`col${i}`]) ? (body[`col${i}`] as ImportField) : null));
        chosen = picked;
        // A field chosen for two columns: said beside the later one(s), before anything is started.
        const twice = picked.flatMap((f, i) => (f && picked.indexOf(f) < i ? [i] : []));
        if (twice.length) {
          const fields = Object.fromEntries(twice.map((i) => [`col${i}`, t.doubleField]));
          return await show(req, res, chosen, { status: 400, fields, general: null });
        }
        mapping = mappingOfFields(columns, picked);
      }
      const started = await importReruns.startFrom(ctx, String(req.params.id), {
        dryRun: body.run !== "real",
        mapping,
        // The sync limit's "go over it" (the import page of a sync stopped by it); else the source's own choice.
        confirm: body.confirm === "yes" ? true : undefined,
      });
      res.redirect(303, `/console/imports/${started.id}?done=started`);
    } catch (e) {
      const refusal = refusalOf(e, []);
      if (!refusal) throw e;
      await show(req, res, chosen, refusal);
    }
  });

  return r;
}
