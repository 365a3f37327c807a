import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import type { DataSource } from "typeorm";
import { RateLimitsRepository } from "../../domain/auth/rate-limits.repository";
import { withDb } from "../../domain/unit-of-work";
import { logger } from "../../log";

/** Expired counters are swept after this many hits counted by this process (one indexed DELETE). */
const SWEEP_EVERY = 1000;

/**
 * express-rate-limit counters in PostgreSQL (domain/auth/rate-limits.repository.ts): every replica counts against the
 * same budget, and a restart forgets nothing. This adapter only maps the Store interface onto the repository.
 */
export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private hits = 0;
  private readonly repo = new RateLimitsRepository();

  constructor(
    private readonly ds: DataSource,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return this.add(key, 1);
  }

  /** Counts `weight` hits at once (beyond the Store interface: a SCIM /Bulk request's further operations). */
  async add(key: string, weight: number): Promise<ClientRateLimitInfo> {
    if (++this.hits % SWEEP_EVERY === 0) void this.sweep();
    const row = await withDb(() => this.repo.hit(this.ds.manager, this.key(key), this.windowMs, weight));
    return { totalHits: row.hits, resetTime: row.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await withDb(() => this.repo.unhit(this.ds.manager, this.key(key)));
  }

  async resetKey(key: string): Promise<void> {
    await withDb(() => this.repo.reset(this.ds.manager, this.key(key)));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private async sweep(): Promise<void> {
    try {
      await this.repo.sweep(this.ds.manager);
    } catch (err) {
      logger.warn({ err }, "rate limits: sweeping expired counters failed (tried again later)");
    }
  }
}
