import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { encodeJsonCursor, jsonCursor } from "../../../domain/cursor";
import { IMPORT_MODES, type ImportOptions } from "../../../domain/imports/import";
import type { ImportRecord } from "../../../domain/imports/imports.repository";
import { SYSTEM_ROLES } from "../../../domain/users/user";
import { charsetOf, fileTable, formatOf } from "../../../modules/imports/file-table";
import { templateCsv, templateXlsx } from "../../../modules/imports/template";
import { type Upload, receiveUpload } from "../../admin/imports.upload";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Notice, Pager } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { type FormRefusal, refusalOf } from "./import-errors";
import { T } from "./imports.texts";
import { EMPTY_UPLOAD, ImportsTable, UploadForm, type UploadValues } from "./upload-form";

const PAGE = 20;
const FIELDS = ["mode", "invite", "language", "role", "entityId", "groupIds", "file"] as const;

/** The upload form's fields (sent before the file; a repeated groupIds arrives comma-separated). */
const Settings = z.object({
  mode: z.enum(IMPORT_MODES).default("upsert"),
  invite: z.enum(["now", "later"]).default("later"),
  language: z.string().trim().max(35).default(""),
  role: z.enum(SYSTEM_ROLES).default("member"),
  entityId: z.union([z.literal(""), z.uuid()]).default(""),
  groupIds: z
    .string()
    .max(10_000)
    .default("")
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.uuid())),
});

/** /console/imports: the templates, the upload (stored as a staged import, nothing applied) and the past imports. */
export function uploadPages(d: ConsolePageDeps): Router {
  const r = Router();
  const { imports, importReruns, entities, scopedGroups } = d.services;

  r.get("/imports/template.csv", (_req, res) => {
    res.type("text/csv; charset=utf-8").set("Content-Disposition", 'attachment; filename="roster-import.csv"');
    res.send(templateCsv());
  });
  r.get("/imports/template.xlsx", async (_req, res) => {
    res
      .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      .set("Content-Disposition", 'attachment; filename="roster-import.xlsx"');
    res.send(await templateXlsx());
  });

  /** The page, with what was typed and the errors when an upload was refused. */
  const show = async (req: Request, res: Response, values: UploadValues, refusal: FormRefusal | null) => {
    const locals = localsOf(res);
    const ctx = consoleCtx(req, res);
    const t = T[locals.language];
    const q = req.query as Record<string, unknown>;
    const after = typeof q.after === "string" ? positionOf(q.after) : null;
    const [rows, ents, groups] = await Promise.all([
      imports.list(ctx, PAGE + 1, after),
      locals.principal.role === "admin" ? entities.list(ctx) : Promise.resolve([]),
      locals.principal.role === "admin" ? scopedGroups.list(ctx, null, { limit: 200 }) : Promise.resolve({ items: [] }),
    ]);
    const page = rows.slice(0, PAGE);
    const next = rows.length > PAGE ? `/console/imports?after=${cursorOf(page[page.length - 1])}` : null;
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="imports" here={req.originalUrl}>
        {refusal?.general ? <Notice kind="error">{refusal.general}</Notice> : null}
        {locals.principal.role === "admin" ? (
          <>
            <h2>{t.upload}</h2>
            <p>
              {t.templates}
              {t.colon}
              <a href="/console/imports/template.csv">{t.templateCsv}</a> ·{" "}
              <a href="/console/imports/template.xlsx">{t.templateXlsx}</a>
            </p>
            <UploadForm
              locals={locals}
              values={values}
              errors={refusal?.fields ?? {}}
              entities={ents}
              groups={groups.items}
            />
          </>
        ) : null}
        <h2>{t.past}</h2>
        <ImportsTable locals={locals} items={page} />
        <Pager
          prev={after ? "/console/imports" : null}
          next={next}
          labels={{ prev: t.newest, next: t.more, nav: t.pages }}
        />
      </Layout>,
      refusal?.status ?? 200,
    );
  };

  r.get("/imports", async (req, res) => {
    await show(req, res, EMPTY_UPLOAD, null);
  });

  r.post("/imports", async (req, res) => {
    let upload: Upload | null = null;
    let values = EMPTY_UPLOAD;
    try {
      upload = await receiveUpload(req, d.cfg.IMPORT_MAX_BYTES);
      const f = upload.fields;
      values = {
        mode: f.mode ?? "upsert",
        invite: f.invite ?? "later",
        language: f.language ?? "",
        role: f.role ?? "member",
        entityId: f.entityId ?? "",
        groupIds: (f.groupIds ?? "").split(",").filter(Boolean),
      };
      const s = Settings.parse(f);
      const options: ImportOptions = {
        mode: s.mode,
        dryRun: true,
        mapping: {},
        invite: s.invite,
        language: s.language || null,
        role: s.role,
        entityId: s.entityId || null,
        groupIds: s.groupIds,
        confirm: false,
      };
      const format = formatOf(upload.name, upload.type);
      const staged = await importReruns.stage(consoleCtx(req, res), options, {
        name: upload.name,
        format,
        rows: fileTable(upload.stream, format, charsetOf(/charset=([^;]+)/i.exec(upload.type ?? "")?.[1])),
      });
      res.redirect(303, `/console/imports/${staged.id}/mapping`);
    } catch (e) {
      upload?.stream.resume(); // the rest of a refused file is read and dropped, so the answer reaches the browser
      const refusal = refusalOf(e, FIELDS);
      if (!refusal) throw e;
      await show(req, res, values, refusal);
    }
  });

  return r;
}

const cursorOf = (i: ImportRecord) => encodeURIComponent(encodeJsonCursor([i.createdAt.toISOString(), i.id]));

/** A list position from the page's own link; anything else is the first page. */
function positionOf(cursor: string): { at: Date; id: string } | null {
  const v = jsonCursor(cursor);
  if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" && !Number.isNaN(Date.parse(v[0])))
    return /^[0-9a-f-]{36}$/i.test(v[1]) ? { at: new Date(v[0]), id: v[1] } : null;
  return null;
}
