import { Client, type ClientConfig } from "pg";

/** The clients of one pool: pg-pool builds each of its clients from the same options object. */
const pools = new WeakMap<object, Set<DiscardingClient>>();

/**
 * pg's client after a `query_timeout`: the caller gets "Query read timeout", but the client still waits for that reply
 * and goes back to the pool, so the next request that draws it hangs behind the dead query. This client ends itself
 * instead (end() marks it ending at once, so the pool drops it on release, and cuts the socket of the hung query).
 *
 * A reply that never came while statement_timeout (shorter) did not fire either means the server or the path to it is
 * stalled, so the pool's idle connections are dropped too (their sockets closed: the pool removes them as it does any
 * idle client whose connection ends). Otherwise each of them would hang one more request after the stall. Connections
 * are opened afresh when the database answers again.
 */
export class DiscardingClient extends Client {
  private pending = 0;
  private readonly siblings: Set<DiscardingClient>;

  constructor(config?: string | ClientConfig) {
    super(config);
    const key = typeof config === "object" && config ? config : DiscardingClient;
    this.siblings = pools.get(key) ?? new Set();
    pools.set(key, this.siblings);
    this.siblings.add(this);
    this.once("end", () => this.siblings.delete(this));
  }

  // pg's overloads cannot be restated one by one; the arguments go through untouched.
  override query(...args: unknown[]): never {
    const result = (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      this.pending++;
      // Attached before the caller awaits, so the client is ending before the caller can release it to the pool.
      result.then(
        () => this.pending--,
        (e: unknown) => {
          this.pending--;
          if (e instanceof Error && e.message === "Query read timeout") this.discard();
        },
      );
    }
    return result as never;
  }

  private discard(): void {
    this.siblings.delete(this);
    this.end().catch(() => undefined);
    for (const other of this.siblings) if (other.pending === 0) other.dropSocket();
  }

  private dropSocket(): void {
    this.siblings.delete(this);
    // The pool (idle) or TypeORM (checked out) listens for the error that follows; never let it be unhandled.
    if (this.listenerCount("error") === 0) this.once("error", () => undefined);
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
