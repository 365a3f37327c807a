import { Router } from "express";
import { z } from "zod";
import { NOT_A_CURSOR, encodeJsonCursor, jsonCursor } from "../../domain/cursor";
import { IMPORT_FIELDS, IMPORT_MODES, type ImportOptions } from "../../domain/imports/import";
import type { ImportRecord } from "../../domain/imports/imports.repository";
import type { ImportRerunsService } from "../../domain/imports/import-reruns.service";
import type { ImportsService } from "../../domain/imports/imports.service";
import { SYSTEM_ROLES } from "../../domain/users/user";
import { charsetOf, fileTable, formatOf } from "../../modules/imports/file-table";
import { templateCsv, templateXlsx } from "../../modules/imports/template";
import { Problem } from "../shared/problem";
import { adminCtx } from "./admin-auth";
import { csvRow } from "./csv";
import { receiveUpload } from "./imports.upload";

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const list = z
  .string()
  .max(10_000)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid()));

/** The settings of POST /imports, from the query string and the form fields. */
const Settings = z.strictObject({
  mode: z.enum(IMPORT_MODES).default("upsert"),
  dryRun: bool.default(false),
  mapping: z
    .string()
    .max(10_000)
    .transform((s, c) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        c.addIssue({ code: "custom", message: "is not JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().max(200), z.enum(IMPORT_FIELDS).nullable()))
    .default({}),
  invite: z.enum(["now", "later"]).default("later"),
  language: z.string().max(35).optional(),
  role: z.enum(SYSTEM_ROLES).default("member"),
  entityId: z.uuid().optional(),
  groupIds: list.default([]),
  confirm: bool.default(false),
  /** Keep the file without applying it: start runs from it with POST /imports/{id}/start (decision 0147). */
  stage: bool.default(false),
  charset: z.string().max(40).optional(),
});

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** The import as the API shows it. */
export function presentImport(i: ImportRecord) {
  const { entityScope: _s, cancelRequested: _c, mappingFields: _f, confirm: _k, status, ...view } = i;
  // A file still arriving is queued as far as the caller can tell.
  return { ...view, status: status === "receiving" ? "queued" : status };
}

/** /admin/v1/imports: upload (202), follow, list, report, cancel, templates (decision 0125). */
export function importsRouter(imports: ImportsService, reruns: ImportRerunsService, maxBytes: number): Router {
  const r = Router();

  r.get("/template.csv", (_req, res) => {
    res.type("text/csv; charset=utf-8").set("Content-Disposition", 'attachment; filename="roster-import.csv"');
    res.send(templateCsv());
  });

  r.get("/template.xlsx", async (_req, res) => {
    res
      .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      .set("Content-Disposition", 'attachment; filename="roster-import.xlsx"');
    res.send(await templateXlsx());
  });

  r.post("/", async (req, res) => {
    const upload = await receiveUpload(req, maxBytes);
    const s = Settings.parse({ ...(req.query as Record<string, string>), ...upload.fields });
    const options: ImportOptions = {
      mode: s.mode,
      dryRun: s.dryRun,
      mapping: s.mapping,
      invite: s.invite,
      language: s.language ?? null,
      role: s.role,
      entityId: s.entityId ?? null,
      groupIds: s.groupIds,
      confirm: s.confirm,
    };
    const format = formatOf(upload.name, upload.type);
    const charset = charsetOf(s.charset ?? /charset=([^;]+)/i.exec(upload.type ?? "")?.[1]);
    const started = await (s.stage ? reruns.stage.bind(reruns) : imports.start.bind(imports))(
      adminCtx(req, res),
      options,
      {
        name: upload.name,
        format,
        rows: fileTable(upload.stream, format, charset),
      },
    );
    res.status(202).location(`/admin/v1/imports/${started.id}`).json(presentImport(started));
  });

  r.get("/", async (req, res) => {
    const q = ListQuery.parse(req.query);
    const after = q.cursor === undefined ? null : decodeAfter(q.cursor);
    const rows = await imports.list(adminCtx(req, res), q.limit + 1, after);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const next = rows.length > q.limit ? encodeJsonCursor([last.createdAt.toISOString(), last.id]) : null;
    res.json({ items: page.map(presentImport), next });
  });

  r.get("/:id", async (req, res) => {
    res.json(presentImport(await imports.get(adminCtx(req, res), req.params.id)));
  });

  r.post("/:id/cancel", async (req, res) => {
    res.json(presentImport(await reruns.cancel(adminCtx(req, res), req.params.id)));
  });

  r.get("/:id/report", async (req, res) => {
    const lines = imports.report(adminCtx(req, res), req.params.id)[Symbol.asyncIterator]();
    // The header is read before anything goes out: an unknown import is still a problem+json 404.
    const header = await lines.next();
    res
      .status(200)
      .type("text/csv; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="import-${req.params.id}-report.csv"`)
      .set("Cache-Control", "no-store");
    res.write(`\uFEFF${csvRow(header.value ?? [])}`);
    for (let next = await lines.next(); !next.done; next = await lines.next())
      if (!res.write(csvRow(next.value))) await new Promise((ok) => res.once("drain", ok));
    res.end();
  });

  return r;
}

function decodeAfter(cursor: string): { at: Date; id: string } {
  const v = jsonCursor(cursor);
  if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" && !Number.isNaN(Date.parse(v[0])))
    return { at: new Date(v[0]), id: v[1] };
  throw new Problem(400, "invalid_request", `cursor ${NOT_A_CURSOR}`, "cursor");
}
