import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { RefusedError } from "../errors";
import { withDb } from "../unit-of-work";
import { EventsRepository, type FeedEvent, type FeedPosition } from "./events.repository";

export interface FeedPage {
  items: FeedEvent[];
  /** Where the next page starts: after the last item, or where this page started when it is empty. */
  next: FeedPosition;
}

/** Before the first event. */
export const FEED_START: FeedPosition = { xid: "0", seq: "0" };

/**
 * The events feed (decision 0120): what happened to people, groups, memberships and entities, in the order of the
 * writing transactions' ids, handed out only below the oldest running transaction, so a client that keeps `next`
 * never misses an event (a transaction that commits late is still above the horizon when earlier ones are handed
 * out) nor sees one twice (positions only grow). Events concern the whole organisation: an admin limited to some
 * entities gets `out_of_scope`.
 */
export class EventsService {
  private readonly repo = new EventsRepository();

  constructor(private readonly ds: DataSource) {}

  async page(ctx: Ctx, after: FeedPosition | null, types: string[] | null, limit: number): Promise<FeedPage> {
    if (ctx.entityScope) {
      throw new RefusedError(
        "out_of_scope",
        "forbidden",
        "The events feed concerns the whole organisation: an admin limited to some entities cannot read it",
      );
    }
    const from = after ?? FEED_START;
    const { items, horizon } = await withDb(() => this.repo.page(this.ds.manager, from, types, limit));
    const last = items[items.length - 1];
    let next = last ? { xid: last.xid, seq: last.seq } : from;
    // A page that is not full saw every event below the horizon: the next one starts there (skipping what `types`
    // left out), which is at or after the last item (seq starts at 1).
    if (items.length < limit && BigInt(horizon) > BigInt(next.xid)) next = { xid: horizon, seq: "0" };
    return { items, next };
  }

  /** Deletes events older than `days`, a batch at a time; how many went. */
  async prune(days: number, batch = 5000): Promise<number> {
    let total = 0;
    let n: number;
    do {
      n = await withDb(() => this.repo.prune(this.ds.manager, days, batch));
      total += n;
    } while (n === batch);
    return total;
  }
}
