import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { InvalidError, NotFoundError } from "../errors";
import { isUuid } from "../ids";
import { checkLanguage } from "../people/manual-policy.rules";
import type { PeopleService } from "../people/people.service";
import type { Signal } from "../signal";
import { unitOfWork, withDb } from "../unit-of-work";
import { assertAccountChange, normaliseAccount } from "../users/account.rules";
import type { ImportOptions, TableRow } from "./import";
import { mapColumns } from "./import-mapping.rules";
import { rowKeys } from "./import-row.rules";
import { type ImportRecord, ImportsRepository } from "./imports.repository";

/** Rows written per statement while a file is received. */
const CHUNK = 1000;
/** An upload still `receiving` with no chunk for this long lost its process: it is failed (upkeep). */
export const RECEIVING_STALL_MINUTES = 15;
/** Rows of old imports deleted per upkeep step. */
const PRUNE_ROWS = 10_000;

/** Why an upload failed, for the import's `error`: the error's own words, or that the file stopped arriving. */
function failure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || message === "aborted")
    return "the upload was interrupted: the file stopped arriving before its end (send it again)";
  return message;
}

export interface ImportFile {
  name: string | null;
  format: "csv" | "xlsx";
  /** The file's lines, header first, read as they arrive (never the whole file in memory). */
  rows: AsyncIterable<TableRow>;
}

/**
 * Imports (decision 0125): a file received into PostgreSQL row by row, then applied by the workers in batches
 * (ImportBatches). Who may import is the admin door's manual creation: SSO_ONLY refuses it, the file-wide settings are
 * checked against the actor's rights before a row is read.
 */
export class ImportsService {
  readonly repo = new ImportsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly people: PeopleService,
    /** Wakes the workers' import loops (the composition root hands the same Signal to the worker). */
    private readonly enqueued: Signal,
  ) {}

  /** Checks the settings, receives the file (stored as rows), marks duplicates and queues it for the workers. */
  async start(ctx: Ctx, o: ImportOptions, file: ImportFile): Promise<ImportRecord> {
    await this.assertSettings(ctx, o);
    const id = randomUUID();
    const m = this.ds.manager;
    await withDb(() => this.repo.insert(m, id, ctx, o, file.name, file.format));
    try {
      const { total, duplicates } = await this.receive(ctx, id, o, file.rows);
      await withDb(() => this.repo.queue(m, id, total, duplicates));
    } catch (e) {
      await withDb(() => this.repo.fail(m, id, failure(e)));
      throw e;
    }
    this.enqueued.notify();
    return this.get(ctx, id);
  }

  /** The file's rows stored 1,000 at a time as they arrive, each chunk's duplicates marked as it lands. */
  private async receive(
    ctx: Ctx,
    id: string,
    o: ImportOptions,
    rows: AsyncIterable<TableRow>,
  ): Promise<{ total: number; duplicates: number }> {
    const m = this.ds.manager;
    let fields: ReturnType<typeof mapColumns>["fields"] | null = null;
    let chunk: Parameters<ImportsRepository["insertRows"]>[2] = [];
    let n = 0;
    let duplicates = 0;
    const flush = async () => {
      const full = chunk;
      chunk = [];
      // The chunk and its duplicates in one transaction: a chunk is stored marked, or not at all.
      duplicates += await unitOfWork(this.ds, ctx, (tx) => this.repo.insertRows(tx.manager, id, full));
    };
    for await (const row of rows) {
      if (fields === null) {
        const header = row.cells.map((c) => c.trim());
        const mapping = mapColumns(header, o.mapping);
        fields = mapping.fields;
        await withDb(() =>
          this.repo.setColumns(m, id, header, { ...o, fields: mapping.fields }, mapping.used, mapping.ignored),
        );
        continue;
      }
      const keys = rowKeys(row.cells, fields);
      chunk.push({ n: ++n, line: row.line, cells: row.cells, email: keys.email, userName: keys.userName });
      if (chunk.length >= CHUNK) await flush();
    }
    if (fields === null) throw new InvalidError("file", "is empty: the first line must name the columns");
    if (chunk.length) await flush();
    return { total: n, duplicates };
  }

  /**
   * The worker's upkeep, one step (StepLoops): uploads left `receiving` by a process that died are failed after
   * RECEIVING_STALL_MINUTES without a chunk; imports finished more than `retentionDays` ago are deleted with their rows,
   * PRUNE_ROWS rows a step. True when it deleted a full step's worth (more may be left).
   */
  async upkeep(retentionDays: number): Promise<boolean> {
    const m = this.ds.manager;
    await withDb(() => this.repo.failStalled(m, RECEIVING_STALL_MINUTES));
    return (await withDb(() => this.repo.prune(m, retentionDays, PRUNE_ROWS))) >= PRUNE_ROWS;
  }

  /** What is wrong for every row is refused before the file is read: SSO_ONLY, rights, language, groups, sync's entity. */
  async assertSettings(ctx: Ctx, o: ImportOptions): Promise<void> {
    this.people.assertManualCreation();
    checkLanguage(o.language);
    assertAccountChange(
      ctx,
      null,
      normaliseAccount({ entityId: o.entityId, systemRole: o.role, adminScope: [], external: false }),
    );
    if (o.groupIds.length) await this.people.assertGroups(o.groupIds);
    if (o.mode === "sync" && !o.entityId)
      throw new InvalidError("entityId", "sync deactivates the people of one entity absent from the file: name it");
  }

  async get(ctx: Ctx, id: string): Promise<ImportRecord> {
    const found = isUuid(id) ? await withDb(() => this.repo.find(this.ds.manager, id)) : null;
    if (!found || !this.visible(ctx, found)) throw new NotFoundError("Import", id);
    return found;
  }

  /** Newest first; an admin limited to some entities sees the imports started within the same scope. */
  async list(ctx: Ctx, limit: number, after: { at: Date; id: string } | null): Promise<ImportRecord[]> {
    const rows = await withDb(() => this.repo.list(this.ds.manager, limit, after));
    return rows.filter((r) => this.visible(ctx, r));
  }

  /** Stops an import between batches: the batch in flight commits, the rows after it stay undone (reported so). */
  async cancel(ctx: Ctx, id: string): Promise<ImportRecord> {
    await this.get(ctx, id);
    await withDb(() => this.repo.requestCancel(this.ds.manager, id));
    this.enqueued.notify();
    return this.get(ctx, id);
  }

  /** The report, page by page in file order: the original columns, then result and reason. */
  async *report(ctx: Ctx, id: string): AsyncIterable<string[]> {
    await this.get(ctx, id);
    const columns = await withDb(() => this.repo.columns(this.ds.manager, id));
    yield [...columns, "result", "reason"];
    // Each row as wide as the header: short rows padded, cells past the last label (unnamed, ignored) left out.
    const fit = (cells: string[]) => Array.from({ length: columns.length }, (_, i) => cells[i] ?? "");
    for (let after = 0; ; ) {
      const page = await withDb(() => this.repo.reportPage(this.ds.manager, id, after, 1000));
      for (const r of page) yield [...fit(r.cells), r.result ?? "not done", r.reason ?? ""];
      if (page.length < 1000) return;
      after = page[page.length - 1].n;
    }
  }

  private visible(ctx: Ctx, r: ImportRecord): boolean {
    const scope = ctx.entityScope;
    if (!scope) return true;
    return r.entityScope !== null && r.entityScope.every((e) => scope.includes(e));
  }
}
