import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import { NotFoundError, RefusedError } from "../errors";
import { recordIn, unitOfWork, withDb } from "../unit-of-work";
import { type DeadLetter, type DeadLetterKey, DeadLettersRepository } from "./dead-letters.repository";
import type { OutboxTopic } from "../topics";
import { OUTBOX_CHANNEL } from "./outbox.queue";

/**
 * What a topic's owner must undo, inside the retry's transaction, for the job to do its work again (an invitation
 * marked failed when its job died must be open again to be sent). Returns what it changed, for the audit record.
 */
export type DeadLetterReviver = (
  tx: TxCtx,
  payload: Record<string, unknown>,
) => Promise<Record<string, unknown> | null>;
export type DeadLetterRevivers = Partial<Record<OutboxTopic, DeadLetterReviver>>;

export interface DeadLetterPage {
  items: DeadLetter[];
  /** Where the next page starts; null on the last page. */
  next: DeadLetterKey | null;
}

/** A retried job: due again now, attempts reset, and what the topic's owner revived with it. */
export interface RetriedJob extends Omit<DeadLetter, "deadAt" | "deadAtKey"> {
  revived: Record<string, unknown> | null;
}

const JOB_ID = /^[1-9]\d{0,17}$/;

/**
 * The outbox's dead letters, for admins: listed newest first, and retried one by one. A retry makes the job due at
 * once with its attempts reset, lets the topic's owner reopen what the job's death closed, writes `outbox.retried`,
 * and wakes the workers (NOTIFY, on commit), all in one transaction. Dead jobs concern the whole organisation (their payloads name
 * anyone), so an admin limited to some entities gets `out_of_scope`.
 */
export class DeadLettersService {
  private readonly repo = new DeadLettersRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly revivers: DeadLetterRevivers = {},
  ) {}

  async list(ctx: Ctx, topic: string | null, after: DeadLetterKey | null, limit: number): Promise<DeadLetterPage> {
    wholeOrganisation(ctx);
    const rows = await withDb(() => this.repo.page(this.ds.manager, topic, after, limit + 1));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit ? { deadAt: last.deadAtKey, id: last.id } : null };
  }

  async retry(ctx: Ctx, id: string): Promise<RetriedJob> {
    wholeOrganisation(ctx);
    if (!JOB_ID.test(id)) throw new NotFoundError("Dead letter", id);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const job = await this.repo.lock(tx.manager, id);
      if (!job) throw new NotFoundError("Dead letter", id);
      if (!job.deadAt)
        throw new RefusedError(
          "not_dead",
          "conflict",
          `Job ${id} is not in the dead letters (it is queued, running or done)`,
        );
      await this.repo.revive(tx.manager, id);
      const revived = (await this.revivers[job.topic]?.(tx, job.payload)) ?? null;
      await recordIn(tx, {
        audits: [
          {
            action: "outbox.retried",
            subject: { type: "outbox", id },
            changes: {
              topic: job.topic,
              deadAt: { before: job.deadAt, after: null },
              attempts: { before: job.attempts, after: 0 },
              ...(revived ? { revived } : {}),
            },
          },
        ],
        events: [],
      });
      await tx.manager.query("SELECT pg_notify($1, $2)", [OUTBOX_CHANNEL, job.topic]);
      const { deadAt: _d, deadAtKey: _k, ...rest } = job;
      return { ...rest, attempts: 0, revived };
    });
  }
}

function wholeOrganisation(ctx: Ctx): void {
  if (ctx.entityScope) {
    throw new RefusedError(
      "out_of_scope",
      "forbidden",
      "Dead letters concern the whole organisation: an admin limited to some entities cannot see or retry them",
    );
  }
}
