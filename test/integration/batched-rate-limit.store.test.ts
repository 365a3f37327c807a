import { randomBytes } from "node:crypto";
import type { Options } from "express-rate-limit";
import type { DataSource } from "typeorm";
import { BatchedRateLimitStore } from "../../src/http/middleware/batched-rate-limit.store";
import { PgRateLimitStore } from "../../src/http/middleware/pg-rate-limit.store";
import { openTestDataSource } from "../support/database";

// The SCIM door's per-process pre-count over the PostgreSQL counters (decision 0072), on the real table.
let ds: DataSource;
beforeAll(async () => {
  ds = await openTestDataSource();
});
afterAll(async () => {
  await ds.destroy();
});

const replica = (prefix: string, batch: number, windowMs = 60_000) => {
  const store = new BatchedRateLimitStore(new PgRateLimitStore(ds, prefix), batch);
  store.init({ windowMs } as Options);
  return store;
};
const written = async (key: string) =>
  (await ds.query("SELECT hits FROM rate_limit_hits WHERE key = $1", [key]))[0]?.hits;

describe("BatchedRateLimitStore", () => {
  it("writes the first hit of a window, then a batch at a time, and learns the other replicas' hits when it writes", async () => {
    const prefix = `batch-${randomBytes(4).toString("hex")}`;
    const [a, b] = [replica(prefix, 3), replica(prefix, 3)];
    expect((await a.increment("k")).totalHits).toBe(1);
    expect((await b.increment("k")).totalHits).toBe(2);
    expect(await written(`${prefix}:k`)).toBe(2);
    expect((await a.increment("k")).totalHits).toBe(2); // b's hit not seen yet: a has not written since
    expect((await a.increment("k")).totalHits).toBe(3);
    expect(await written(`${prefix}:k`)).toBe(2);
    expect((await a.increment("k")).totalHits).toBe(5); // the third pending hit fills the batch: written, total read back
    expect(await written(`${prefix}:k`)).toBe(5);
    expect((await b.add("k", 4)).totalHits).toBe(9); // a weight of a batch or more is written at once
  });

  it("starts a new window once the old one has ended, dropping the hits it had not written", async () => {
    const prefix = `window-${randomBytes(4).toString("hex")}`;
    const a = replica(prefix, 3, 300);
    const first = await a.increment("k");
    await a.increment("k");
    expect((await a.increment("k")).totalHits).toBe(3);
    await new Promise((r) => setTimeout(r, 350));
    const next = await a.increment("k");
    expect(next.totalHits).toBe(1);
    expect(next.resetTime!.getTime()).toBeGreaterThan(first.resetTime!.getTime());
    expect(await written(`${prefix}:k`)).toBe(1);
  });
});
