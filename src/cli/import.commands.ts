import { createReadStream, createWriteStream } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { once } from "node:events";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { type Ctx, systemActor } from "../domain/context";
import { IMPORT_FIELDS, IMPORT_MODES, type ImportField, type ImportMode } from "../domain/imports/import";
import { InvalidError } from "../domain/errors";
import { csvRow } from "../http/admin/csv";
import { charsetOf, fileTable, formatOf } from "../modules/imports/file-table";
import { withDatabase } from "./with-database";

interface ImportFlags {
  mode: string;
  dryRun?: boolean;
  map: string[];
  invite: string;
  entity?: string;
  confirm?: boolean;
  charset?: string;
}

const cliCtx: Ctx = {
  actor: { ...systemActor, name: `cli:${process.env.USER ?? "operator"}` },
  door: "cli",
  requestId: null,
};

/** `--map "Label=field"` options as a mapping (`Label=` ignores the column). */
function mappingOf(maps: string[]): Record<string, ImportField | null> {
  const out: Record<string, ImportField | null> = {};
  for (const m of maps) {
    const at = m.lastIndexOf("=");
    const field = m.slice(at + 1).trim();
    if (at <= 0 || (field !== "" && !IMPORT_FIELDS.includes(field as ImportField)))
      throw new InvalidError("map", `'${m}' is not Label=field (fields: ${IMPORT_FIELDS.join(", ")})`);
    out[m.slice(0, at).trim()] = field === "" ? null : (field as ImportField);
  }
  return out;
}

/**
 * `roster import FILE`: the same import as POST /admin/v1/imports, applied by this process batch after batch (a worker
 * of a running server may share it) with a live progress bar; then the summary, and the report written beside the file.
 * Killed half-way, the import carries on from its last committed batch when a worker (or `roster import --resume ID`) runs.
 */
export function importCommands(program: Command): void {
  program
    .command("import [file]")
    .description("import people from a CSV or xlsx file (report written next to it)")
    .option("--mode <mode>", `one of ${IMPORT_MODES.join(", ")}`, "upsert")
    .option("--dry-run", "validate and report what would happen, changing nothing")
    .option(
      "--map <Label=field>",
      "read the column Label as field (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("--invite <when>", "now or later", "later")
    .option("--entity <id>", "new people's entity (required for sync)")
    .option("--confirm", "sync: go ahead above SYNC_MAX_DEACTIVATE_PERCENT")
    .option("--charset <charset>", "utf-8 or windows-1252 (detected otherwise)")
    .option("--resume <id>", "carry on an import left unfinished (its file is already stored)")
    .action((file: string | undefined, o: ImportFlags & { resume?: string }) =>
      withDatabase(async ({ imports, importBatches }) => {
        if (!IMPORT_MODES.includes(o.mode as ImportMode))
          throw new InvalidError("mode", `is one of ${IMPORT_MODES.join(", ")}`);
        if (o.invite !== "now" && o.invite !== "later") throw new InvalidError("invite", "is now or later");
        let id = o.resume;
        if (!id) {
          if (!file) throw new InvalidError("file", "give the file to import (or --resume ID)");
          const format = formatOf(file, null);
          const started = await imports.start(
            cliCtx,
            {
              mode: o.mode as ImportMode,
              dryRun: o.dryRun === true,
              mapping: mappingOf(o.map),
              invite: o.invite,
              language: null,
              role: "member",
              entityId: o.entity ?? null,
              groupIds: [],
              confirm: o.confirm === true,
            },
            { name: basename(file), format, rows: fileTable(createReadStream(file), format, charsetOf(o.charset)) },
          );
          id = started.id;
          process.stderr.write(`import ${id}: ${started.counts.total} rows\n`);
        }
        const bar = new cliProgress.SingleBar(
          {
            format: "{bar} {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}",
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        );
        let view = await imports.get(cliCtx, id);
        const t0 = Date.now();
        const done0 = view.progress.done;
        bar.start(view.progress.total, view.progress.done, { speed: 0 });
        while (await importBatches.step(id)) {
          view = await imports.get(cliCtx, id);
          const speed = Math.round(((view.progress.done - done0) * 1000) / Math.max(1, Date.now() - t0));
          bar.update(view.progress.done, { speed });
        }
        view = await imports.get(cliCtx, id);
        bar.update(view.progress.done);
        bar.stop();
        const c = view.counts;
        process.stdout.write(
          `${view.status}${view.dryRun ? " (dry run)" : ""}: ${c.total} rows, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed${view.mode === "sync" ? `, ${view.deactivated} deactivated` : ""}${view.error ? `\n${view.error}` : ""}\n`,
        );
        const where = file
          ? join(dirname(file), `${basename(file, extname(file))}.report.csv`)
          : `import-${id}.report.csv`;
        const out = createWriteStream(where);
        out.write("\uFEFF");
        for await (const line of imports.report(cliCtx, id)) if (!out.write(csvRow(line))) await once(out, "drain");
        out.end();
        await once(out, "finish");
        process.stdout.write(`report: ${where}\n`);
      }),
    );
}
