import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import { DomainError } from "../errors";
import { unitOfWork, withDb } from "../unit-of-work";
import type { UsersService } from "../users/users.service";
import type { RowApplier } from "./import-row.apply";
import type { ImportRecord, ImportsRepository } from "./imports.repository";

export interface BatchSettings {
  /** Rows per batch: one transaction each. */
  batchSize: number;
  /** sync stops before changing anything when it would deactivate more than this share (%) of the entity's people. */
  syncMaxDeactivatePercent: number;
}

/**
 * The workers' side of imports: `step()` applies one batch of the oldest open import in one transaction (a range of
 * rows claimed FOR UPDATE SKIP LOCKED, so replicas share an import; their results inserted and the range moved on in
 * the same transaction, so a killed worker's batch is simply claimed again, 0155), and finishes an import whose rows are all done (sync's deactivations, in
 * batches too). The import's actor acts, through the door `import`, request id `import:<id>` in every audit record.
 */
export class ImportBatches {
  /** When a failed refresh of users' statistics may be tried again (refreshStatistics). */
  private statisticsRetryAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: ImportsRepository,
    private readonly rows: RowApplier,
    private readonly users: UsersService,
    private readonly s: BatchSettings,
  ) {}

  /** One unit of work on some import (or on `only`: the CLI works its own); false when there was none to do. */
  async step(only: string | null = null): Promise<boolean> {
    const imp = await withDb(() => this.repo.nextOpen(this.ds.manager, only));
    if (!imp) return false;
    if (imp.cancelRequested) {
      await withDb(() => this.repo.finish(this.ds.manager, imp.id, "cancelled"));
      return true;
    }
    if (imp.status === "queued" && !(await this.begin(imp))) return true;
    const ctx = importCtx(imp);
    const options = { ...imp.options, mode: imp.mode, dryRun: imp.dryRun, mapping: {} };
    const { claimed, created } = await unitOfWork(this.ds, ctx, async (tx) => {
      const batch = await this.repo.claim(tx.manager, imp.id, this.s.batchSize);
      if (!batch) return { claimed: false, created: false };
      const outcomes = await this.rows.applyAll(tx, { options, fields: imp.mappingFields }, batch.rows);
      // also when every row of the span was a duplicate: the range moves on
      await this.repo.record(tx.manager, imp.id, batch, outcomes);
      return { claimed: true, created: outcomes.some((o) => o.result === "created") };
    });
    // A store an import fills from empty: the next batches' lookups plan on its real size, not "two rows" (0150).
    if (created && Date.now() >= this.statisticsRetryAt) await this.refreshStatistics();
    if (!claimed && !(await withDb(() => this.repo.hasRowsLeft(this.ds.manager, imp.id)))) await this.finish(imp, ctx);
    return claimed;
  }

  /**
   * ANALYZE when `users` outgrew its statistics. Only a help to the planner, after the batch committed: one that fails
   * (past the statement timeout on a busy database) is tried again a minute later, and autovacuum does it meanwhile.
   */
  private async refreshStatistics(): Promise<void> {
    try {
      await this.users.refreshStatisticsIfOutgrown();
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.statisticsRetryAt = Date.now() + 60_000;
    }
  }

  /** queued -> running; sync first checks the share it would deactivate, and stops the import when over the limit. */
  private async begin(imp: ImportRecord): Promise<boolean> {
    const m = this.ds.manager;
    if (imp.mode === "sync" && !imp.confirm && imp.options.entityId) {
      const { active, absent } = await withDb(() => this.repo.syncShare(m, imp.id, imp.options.entityId!));
      if (active > 0 && (absent * 100) / active > this.s.syncMaxDeactivatePercent) {
        await withDb(() =>
          this.repo.fail(
            m,
            imp.id,
            `sync_limit: ${absent} of the entity's ${active} active people are absent from the file, more than SYNC_MAX_DEACTIVATE_PERCENT (${this.s.syncMaxDeactivatePercent}%): nothing was changed; upload again with confirm=true to go ahead`,
          ),
        );
        return false;
      }
    }
    return withDb(() => this.repo.start(m, imp.id));
  }

  /** Every row done: sync deactivates the absent people (a dry run counts them), then the import has succeeded. */
  private async finish(imp: ImportRecord, ctx: Ctx): Promise<void> {
    if (imp.mode === "sync" && imp.options.entityId) {
      const entityId = imp.options.entityId;
      if (imp.dryRun) {
        const { absent } = await withDb(() => this.repo.syncShare(this.ds.manager, imp.id, entityId));
        await withDb(() => this.repo.addDeactivated(this.ds.manager, imp.id, absent - imp.deactivated));
      } else {
        for (let more = true; more; ) {
          more = await unitOfWork(this.ds, ctx, async (tx: TxCtx) => {
            const ids = await this.repo.absentPeople(tx.manager, imp.id, entityId, this.s.batchSize);
            let n = 0;
            for (const id of ids) if ((await this.users.setActiveIn(tx, id, false)).changed) n++;
            await this.repo.addDeactivated(tx.manager, imp.id, n);
            return ids.length > 0;
          });
        }
      }
    }
    await withDb(() => this.repo.finish(this.ds.manager, imp.id, "succeeded"));
  }
}

/** Who acts for an import's batches: the admin who started it, through the door `import`, within their scope. */
export function importCtx(imp: ImportRecord): Ctx {
  return {
    actor: { type: imp.startedBy.type as Ctx["actor"]["type"], id: imp.startedBy.id, name: imp.startedBy.name },
    door: "import",
    requestId: `import:${imp.id}`,
    entityScope: imp.entityScope,
  };
}
