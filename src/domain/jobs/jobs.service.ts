import type { DataSource } from "typeorm";
import { logger } from "../../log";
import type { Ctx } from "../context";
import { NotFoundError, UnavailableError } from "../errors";
import type { Signal } from "../signal";
import { unitOfWork, withDb } from "../unit-of-work";
import { isUuid } from "../ids";
import type { UserSearchFilter, UsersSearch } from "../users/users.search";
import type { ItemOutcome, JobCounts, JobHandlers, JobItem, JobRow, JobView } from "./job";
import { JobsRepository } from "./jobs.repository";

/** Users a job acts on: ids as given, or a search filter resolved to ids when the job is created. */
export type UserSelection = { ids: string[] } | { filter: UserSearchFilter };

/** How many active jobs a runner step looks at (oldest first). */
const ACTIVE_WINDOW = 8;
/** Items a runner step applies in one transaction (one commit for all; a failure redoes them one by one). */
const BATCH = 20;

/**
 * Background jobs of the admin door. A job's selection becomes item rows at creation; runners (src/worker) take items
 * a batch at a time with `FOR UPDATE SKIP LOCKED` and record each outcome in the transaction of the change itself.
 */
export class JobsService {
  private readonly repo = new JobsRepository();

  /** `enqueued` is notified after a job is created (the runner of this process starts on it at once; others on their next poll). */
  constructor(
    private readonly ds: DataSource,
    private readonly search: UsersSearch,
    private readonly enqueued: Signal,
  ) {}

  async enqueueUsersAction(ctx: Ctx, action: string, selection: UserSelection): Promise<JobView> {
    const id = await this.create(ctx, action, selection);
    this.enqueued.notify();
    return this.get(ctx, id);
  }

  /**
   * A mass action small enough to answer at once, recorded as a job with one item per id before anything is applied;
   * the request then works through it (`runHere`). Runners are not woken for it; at their next poll they may help, and
   * they finish it if the request dies.
   */
  async recordUsersAction(ctx: Ctx, action: string, selection: UserSelection, ids: string[]): Promise<string> {
    return this.create(ctx, action, selection, ids);
  }

  /** The job row and its items in one transaction: `ids` in that order, else the selection's users (a SQL snapshot). */
  private async create(ctx: Ctx, action: string, selection: UserSelection, ids?: string[]): Promise<string> {
    return unitOfWork(this.ds, ctx, async (tx) => {
      const record = "ids" in selection ? { ids: (ids ?? selection.ids).length } : { filter: selection.filter };
      const jobId = await this.repo.insert(tx.manager, {
        kind: "users.action",
        action,
        selection: record,
        actor: ctx.actor,
        requestId: ctx.requestId,
        door: ctx.door,
        entityScope: ctx.entityScope ?? null,
      });
      const total = ids
        ? await this.repo.addItems(tx.manager, jobId, ids)
        : "ids" in selection
          ? await this.repo.addItems(tx.manager, jobId, selection.ids)
          : await this.repo.addItemsWhere(tx.manager, jobId, await this.search.whereIn(tx, selection.filter, 1));
      await this.repo.setTotal(tx.manager, jobId, total);
      return jobId;
    });
  }

  /** A job and its progress; jobs of others are hidden from an admin limited to some entities. */
  async get(ctx: Ctx, id: string): Promise<JobView> {
    const job = await this.visibleJob(ctx, id);
    const counts = await withDb(() => this.repo.counts(this.ds.manager, id));
    return { ...viewOf(job), ...counts };
  }

  /** The newest jobs, without their counts (a job's page has them); an admin limited to some entities sees only theirs. */
  async recent(ctx: Ctx, limit: number): Promise<Omit<JobView, keyof JobCounts>[]> {
    const rows = await withDb(() => this.repo.recent(this.ds.manager, ctx.entityScope ? ctx.actor : null, limit));
    return rows.map(viewOf);
  }

  /** Per-user results after item `afterSeq`, in selection order. */
  async results(
    ctx: Ctx,
    id: string,
    outcome: ItemOutcome | "pending" | null,
    afterSeq: number,
    limit: number,
  ): Promise<JobItem[]> {
    await this.visibleJob(ctx, id);
    return withDb(() => this.repo.items(this.ds.manager, id, outcome, afterSeq, limit));
  }

  /**
   * Works through a job inside the caller (a request answering at once) by the runners' own claim and record path, so
   * each item is done once whoever does it; items a runner holds meanwhile are waited for. Answers every item's
   * outcome in selection order. If the process dies half way, the job stays active and a runner finishes it.
   */
  async runHere(ctx: Ctx, id: string, handlers: JobHandlers): Promise<JobItem[]> {
    const job = await withDb(() => this.repo.find(this.ds.manager, id));
    if (!job) throw new NotFoundError("Job", id);
    await withDb(() => this.repo.markRunning(this.ds.manager, id));
    while (await this.process(job, ctx, handlers));
    const held = await withDb(() => this.repo.items(this.ds.manager, id, "pending", 0, job.total));
    for (const item of held) await this.processOne(job, ctx, handlers, item.seq);
    await withDb(() => this.repo.finishIfComplete(this.ds.manager, id));
    return withDb(() => this.repo.items(this.ds.manager, id, null, 0, job.total));
  }

  /**
   * One unit of runner work: the next pending items of the oldest job that has some, applied by the job's handler and
   * recorded in the same transaction. False when no item could be claimed (jobs found complete are marked done).
   */
  async step(handlers: JobHandlers): Promise<boolean> {
    const jobs = await withDb(() => this.repo.active(this.ds.manager, ACTIVE_WINDOW));
    for (const job of jobs) {
      if (job.status === "queued") await withDb(() => this.repo.markRunning(this.ds.manager, job.id));
      if (await this.process(job, contextOf(job), handlers)) return true;
      await withDb(() => this.repo.finishIfComplete(this.ds.manager, job.id));
    }
    return false;
  }

  /**
   * A batch in one transaction. Handlers turn the refusals they expect into results; anything else they throw rolls
   * the whole batch back, and its items are then done one per transaction, so only the bad user's item fails.
   */
  private async process(job: JobRow, ctx: Ctx, handlers: JobHandlers): Promise<boolean> {
    const claimed: { seq: number; userId: string }[] = [];
    try {
      return await unitOfWork(this.ds, ctx, async (tx) => {
        claimed.push(...(await this.repo.claim(tx.manager, job.id, BATCH)));
        for (const item of claimed)
          await this.repo.record(tx.manager, job.id, item.seq, await handlers[job.kind](tx, job, item.userId));
        return claimed.length > 0;
      });
    } catch (e) {
      if (e instanceof UnavailableError || claimed.length <= 1) return this.failed(job, claimed[0], e);
      for (const item of claimed) await this.processOne(job, ctx, handlers, item.seq);
      return true;
    }
  }

  /** One item (the batch's fallback), claimed again by its seq: another runner may have done it meanwhile. */
  private async processOne(job: JobRow, ctx: Ctx, handlers: JobHandlers, seq: number): Promise<void> {
    const held: { item?: { seq: number; userId: string } } = {};
    try {
      await unitOfWork(this.ds, ctx, async (tx) => {
        [held.item] = await this.repo.claimSeq(tx.manager, job.id, seq);
        if (held.item)
          await this.repo.record(tx.manager, job.id, seq, await handlers[job.kind](tx, job, held.item.userId));
      });
    } catch (e) {
      await this.failed(job, held.item, e);
    }
  }

  /** The change rolled back with its transaction: record the failure on its own, so one bad user cannot stall the job. */
  private async failed(job: JobRow, item: { seq: number; userId: string } | undefined, e: unknown): Promise<boolean> {
    if (e instanceof UnavailableError || !item) throw e;
    logger.error({ err: e, jobId: job.id, userId: item.userId }, "admin job item failed");
    await withDb(() => this.repo.recordFailure(this.ds.manager, job.id, item.seq, "internal_error"));
    return true;
  }

  private async visibleJob(ctx: Ctx, id: string): Promise<JobRow> {
    const job = isUuid(id) ? await withDb(() => this.repo.find(this.ds.manager, id)) : null;
    // An admin limited to some entities sees only the jobs they asked for: others' could name users beyond their reach.
    const visible = job && (!ctx.entityScope || (job.actorType === ctx.actor.type && job.actorId === ctx.actor.id));
    if (!job || !visible) throw new NotFoundError("Job", id);
    return job;
  }
}

function viewOf(job: JobRow): Omit<JobView, keyof JobCounts> {
  const { actorType: _t, actorId: _i, actorName, requestId: _r, entityScope: _s, door: _d, ...rest } = job;
  return { ...rest, requestedBy: actorName };
}

/** The runners act as the admin who asked, through the door they asked at (audited as such). */
const contextOf = (job: JobRow): Ctx => ({
  actor: { type: job.actorType, id: job.actorId, name: job.actorName },
  door: job.door,
  requestId: job.requestId,
  entityScope: job.entityScope,
});
