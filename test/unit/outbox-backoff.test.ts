import { backoffDelay } from "../../src/domain/outbox/outbox.queue";

describe("backoffDelay: exponential, jittered, capped", () => {
  it("doubles with each failed attempt, from the base after the first", () => {
    const mid = () => 0.5; // no jitter: 0.8 + 0.4 * 0.5 = 1
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, 1000, mid))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("spreads each delay over ±20%", () => {
    expect(backoffDelay(3, 1000, () => 0)).toBe(3200);
    expect(backoffDelay(3, 1000, () => 0.999999)).toBe(4800);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, 5000);
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(12000);
    }
  });

  it("never waits more than an hour (plus jitter), however many attempts", () => {
    expect(backoffDelay(40, 5000, () => 0.5)).toBe(3_600_000);
    expect(backoffDelay(1000, 5000, () => 1)).toBe(4_320_000);
  });
});
