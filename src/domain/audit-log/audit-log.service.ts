import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { withDb } from "../unit-of-work";
import type { AuditFilter, AuditOrder, AuditPage, AuditPageRequest, AuditRecord } from "./audit-log";
import { AuditLogRepository } from "./audit-log.repository";
import { AuditSealer } from "./audit-sealer";

/**
 * Reading the audit log: every change from every door. A reader limited to some entities (ctx.entityScope) sees only
 * records about users currently in those entities. Only sealed records are read, and a read first seals what is
 * pending, so it sees every record committed before it (unless an older transaction outlasts the sealer's bound).
 * Records are sealed in id order behind a commit watermark, so readers always see every committed record up to an
 * id: paging by id never skips or repeats a record while others append.
 */
export class AuditLogService {
  private readonly repo = new AuditLogRepository();
  private readonly sealer: AuditSealer;

  constructor(private readonly ds: DataSource) {
    this.sealer = new AuditSealer(ds);
  }

  async page(ctx: Ctx, filter: AuditFilter, req: AuditPageRequest): Promise<AuditPage> {
    await this.sealer.sealPending();
    const rows = await withDb(() =>
      this.repo.slice(this.ds.manager, {
        filter,
        entityScope: ctx.entityScope ?? null,
        order: req.order,
        afterId: req.afterId,
        limit: req.limit + 1,
      }),
    );
    const more = rows.length > req.limit;
    const records = more ? rows.slice(0, req.limit) : rows;
    return { records, nextAfterId: more ? records[records.length - 1].id : null };
  }

  /**
   * Every matching record sealed when the export began, in batches of `batchSize`: one short query
   * per batch (no connection or snapshot held between batches, so a slow reader holds nothing back).
   */
  async *export(ctx: Ctx, filter: AuditFilter, order: AuditOrder, batchSize = 1000): AsyncGenerator<AuditRecord[]> {
    await this.sealer.sealPending();
    const maxId = await withDb(() => this.repo.sealedThrough(this.ds.manager));
    let afterId: number | undefined;
    for (;;) {
      const batch = await withDb(() =>
        this.repo.slice(this.ds.manager, {
          filter,
          entityScope: ctx.entityScope ?? null,
          order,
          afterId,
          maxId,
          limit: batchSize,
        }),
      );
      if (batch.length > 0) yield batch;
      if (batch.length < batchSize) return;
      afterId = batch[batch.length - 1].id;
    }
  }
}
