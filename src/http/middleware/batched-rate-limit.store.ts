import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import type { PgRateLimitStore } from "./pg-rate-limit.store";

/** Above this many keys, those whose window has ended are forgotten (credentials are few; this only bounds memory). */
const MAX_KEYS = 10_000;

interface Counter {
  /** Every replica's hits in the window, as the last write of this process read them back. */
  shared: number;
  /** This process's hits not written yet. */
  pending: number;
  /** When the window ends (PostgreSQL's clock), ms; 0 before the first write. */
  resetAt: number;
}

/**
 * A per-process pre-count in front of the PostgreSQL store: a key's hits are added up in memory and written in one
 * upsert once `batch` of them are pending, instead of one upsert per request. The first hit of each window, and the
 * hit that fills a batch, wait for that write and learn every replica's total. Each process therefore holds back at
 * most `batch - 1` unwritten hits per key, and may let through that many more than the budget (with `batch` 1, every
 * hit is written at once, exactly as PgRateLimitStore). Hits pending when a window ends are dropped with it.
 */
export class BatchedRateLimitStore implements Store {
  readonly localKeys = false;
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly inner: PgRateLimitStore,
    private readonly batch: number,
  ) {}

  get prefix(): string {
    return this.inner.prefix;
  }

  init(options: Options): void {
    this.inner.init(options);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return this.add(key, 1);
  }

  /** Counts `weight` hits at once (a SCIM /Bulk request's further operations). */
  async add(key: string, weight: number): Promise<ClientRateLimitInfo> {
    const c = this.counter(key);
    if (Date.now() >= c.resetAt) c.pending = 0;
    c.pending += weight;
    if (c.pending >= this.batch || Date.now() >= c.resetAt) await this.write(key, c);
    return { totalHits: c.shared + c.pending, resetTime: new Date(c.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    const c = this.counters.get(key);
    if (c && c.pending > 0) c.pending--;
    else await this.inner.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    this.counters.delete(key);
    await this.inner.resetKey(key);
  }

  private counter(key: string): Counter {
    let c = this.counters.get(key);
    if (!c) {
      if (this.counters.size >= MAX_KEYS) {
        const now = Date.now();
        for (const [k, v] of this.counters) if (now >= v.resetAt) this.counters.delete(k);
      }
      c = { shared: 0, pending: 0, resetAt: 0 };
      this.counters.set(key, c);
    }
    return c;
  }

  /** Writes what is pending; concurrent writes may return out of order, so an older window or total never wins. */
  private async write(key: string, c: Counter): Promise<void> {
    const n = c.pending;
    if (n <= 0) return;
    c.pending -= n;
    let written: ClientRateLimitInfo;
    try {
      written = await this.inner.add(key, n);
    } catch (e) {
      c.pending += n;
      throw e;
    }
    const resetAt = written.resetTime?.getTime() ?? 0;
    if (resetAt > c.resetAt) Object.assign(c, { resetAt, shared: written.totalHits });
    else if (resetAt === c.resetAt) c.shared = Math.max(c.shared, written.totalHits);
  }
}
