import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { ConflictError, InvalidError } from "../errors";
import type { Signal } from "../signal";
import { recordIn, unitOfWork, withDb } from "../unit-of-work";
import type { ImportField, ImportOptions } from "./import";
import { guessFields, mappingOfFields } from "./import-columns.rules";
import { mapColumns } from "./import-mapping.rules";
import { rowKeys } from "./import-row.rules";
import { ImportRerunsRepository, type StoredRow } from "./import-reruns.repository";
import type { ImportRecord } from "./imports.repository";
import type { ImportFile, ImportsService } from "./imports.service";

/** Rows read and written per statement while a file is stored or copied. */
const CHUNK = 1000;

/** How a run started from an earlier import's rows reads them. */
export interface StartFrom {
  dryRun: boolean;
  /** Column label -> field (null: ignore); null: the source's own mapping (a staged file's: the labels' wordings). */
  mapping: Record<string, ImportField | null> | null;
  /** sync: go ahead over SYNC_MAX_DEACTIVATE_PERCENT; absent: as the source said. */
  confirm?: boolean;
}

/**
 * A file uploaded once, run several times (decision 0147): `stage` keeps a file as rows without applying anything, so
 * the admin can choose each column's field first; `startFrom` starts a new import (dry run or real) over the stored
 * rows of a staged or earlier import, with a mapping, the file-wide settings of the source, checked again as the
 * actor's. Each run is its own import, with its own counts and report; the workers apply it as any other.
 */
export class ImportRerunsService {
  private readonly own = new ImportRerunsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly imports: ImportsService,
    /** Wakes the workers' import loops (the same Signal as ImportsService's). */
    private readonly enqueued: Signal,
  ) {}

  /** Checks the settings and stores the file as rows, header first: the import is `staged`, nothing applied. */
  async stage(ctx: Ctx, o: ImportOptions, file: ImportFile): Promise<ImportRecord> {
    await this.imports.assertSettings(ctx, o);
    const repo = this.imports.repo;
    const m = this.ds.manager;
    const id = randomUUID();
    await withDb(() => repo.insert(m, id, ctx, o, file.name, file.format));
    try {
      let header: string[] | null = null;
      let chunk: Parameters<typeof repo.insertRows>[2] = [];
      let n = 0;
      for await (const row of file.rows) {
        if (header === null) {
          const columns = row.cells.map((c) => c.trim());
          header = columns;
          await withDb(() => repo.setColumns(m, id, columns, { ...o, fields: [] }, {}, []));
          continue;
        }
        chunk.push({ n: ++n, line: row.line, cells: row.cells, email: null, userName: null });
        if (chunk.length >= CHUNK) {
          const full = chunk;
          chunk = [];
          await unitOfWork(this.ds, ctx, (tx) => repo.insertRows(tx.manager, id, full));
        }
      }
      if (header === null) throw new InvalidError("file", "is empty: the first line must name the columns");
      if (chunk.length) await unitOfWork(this.ds, ctx, (tx) => repo.insertRows(tx.manager, id, chunk));
      await unitOfWork(this.ds, ctx, async (tx) => {
        await this.own.stage(tx.manager, id, n);
        await recordIn(tx, audited("import.staged", id, { fileName: file.name, rows: n }));
      });
    } catch (e) {
      await withDb(() => repo.fail(m, id, e instanceof Error ? e.message : String(e)));
      throw e;
    }
    return this.imports.get(ctx, id);
  }

  /** The file's columns and the field each is read as: the import's mapping, or for a staged file the wordings' guess. */
  async columns(ctx: Ctx, id: string): Promise<{ columns: string[]; fields: (ImportField | null)[] }> {
    const imp = await this.imports.get(ctx, id);
    const columns = await withDb(() => this.imports.repo.columns(this.ds.manager, imp.id));
    const fields = imp.mappingFields.length ? imp.mappingFields : guessFields(columns);
    return { columns, fields: columns.map((_, i) => fields[i] ?? null) };
  }

  /** A new import over the rows of `sourceId` (staged or earlier), queued for the workers; the source is left as it is. */
  async startFrom(ctx: Ctx, sourceId: string, s: StartFrom): Promise<ImportRecord> {
    const source = await this.imports.get(ctx, sourceId);
    if (source.status === "receiving") throw new ConflictError("source", "this import's file is still arriving");
    const repo = this.imports.repo;
    const m = this.ds.manager;
    const header = await withDb(() => repo.columns(m, source.id));
    const o: ImportOptions = {
      ...source.options,
      mode: source.mode,
      dryRun: s.dryRun,
      mapping: s.mapping ?? (source.mappingFields.length ? mappingOfFields(header, source.mappingFields) : {}),
      confirm: s.confirm ?? source.options.confirm,
    };
    await this.imports.assertSettings(ctx, o);
    const mapped = mapColumns(header, o.mapping);
    const id = randomUUID();
    await withDb(() => repo.insert(m, id, ctx, o, source.fileName, source.format));
    try {
      await withDb(() => repo.setColumns(m, id, header, { ...o, fields: mapped.fields }, mapped.used, mapped.ignored));
      let total = 0;
      let duplicates = 0;
      for (let after = 0; ; ) {
        const page = await withDb(() => this.own.rowsPage(m, source.id, after, CHUNK, null));
        if (page.length === 0) break;
        const rows = page.map((r) => ({ n: r.n, line: r.line, cells: r.cells, ...rowKeys(r.cells, mapped.fields) }));
        // each chunk stored with its duplicates marked, in one transaction (as ImportsService.receive does)
        duplicates += await unitOfWork(this.ds, ctx, (tx) => repo.insertRows(tx.manager, id, rows));
        total += page.length;
        after = page[page.length - 1].n;
      }
      await unitOfWork(this.ds, ctx, async (tx) => {
        await repo.queue(tx.manager, id, total, duplicates);
        await recordIn(tx, audited("import.started", id, { from: source.id, dryRun: o.dryRun, mapping: mapped.used }));
      });
    } catch (e) {
      await withDb(() => repo.fail(m, id, e instanceof Error ? e.message : String(e)));
      throw e;
    }
    this.enqueued.notify();
    return this.imports.get(ctx, id);
  }

  /** A page of the rows and what each came to (a dry run: what would happen), in file order after row `after`. */
  async rows(
    ctx: Ctx,
    id: string,
    page: { after: number; limit: number; result: string | null },
  ): Promise<{ items: StoredRow[]; next: number | null }> {
    const imp = await this.imports.get(ctx, id);
    const rows = await withDb(() =>
      this.own.rowsPage(this.ds.manager, imp.id, page.after, page.limit + 1, page.result),
    );
    const items = rows.slice(0, page.limit);
    return { items, next: rows.length > page.limit ? items[items.length - 1].n : null };
  }

  /** Cancels an import: a staged one at once (nothing was to be applied), any other between batches (the workers'). */
  async cancel(ctx: Ctx, id: string): Promise<ImportRecord> {
    const imp = await this.imports.get(ctx, id);
    if (imp.status === "succeeded" || imp.status === "failed" || imp.status === "cancelled") return imp;
    await unitOfWork(this.ds, ctx, async (tx) => {
      if (!(await this.own.discard(tx.manager, imp.id))) await this.imports.repo.requestCancel(tx.manager, imp.id);
      await recordIn(tx, audited("import.cancel_requested", imp.id, { status: imp.status }));
    });
    this.enqueued.notify();
    return this.imports.get(ctx, id);
  }
}

/** The audit record of a step of an import (who staged, started or cancelled it, through which door). */
const audited = (action: string, id: string, changes: Record<string, unknown>) => ({
  audits: [{ action, subject: { type: "import" as const, id }, changes }],
  events: [],
});
