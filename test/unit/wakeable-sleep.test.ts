import { WakeableSleep } from "../../src/worker/wakeable-sleep";

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe("WakeableSleep", () => {
  it("wakeOne wakes a single sleeper; wake wakes them all", async () => {
    const s = new WakeableSleep();
    const a = s.sleep(10_000);
    const b = s.sleep(10_000);
    const c = s.sleep(10_000);
    s.wakeOne();
    expect([await settled(a), await settled(b), await settled(c)]).toEqual([true, false, false]);
    s.wakeOne();
    expect([await settled(b), await settled(c)]).toEqual([true, false]);
    s.wake();
    expect(await settled(c)).toBe(true);
  });

  it("news that comes while nobody sleeps is not lost: the next sleep returns at once, until reset", async () => {
    const s = new WakeableSleep();
    s.wakeOne();
    expect(await settled(s.sleep(10_000))).toBe(true);
    s.reset();
    const later = s.sleep(10_000);
    expect(await settled(later)).toBe(false);
    s.wake();
    expect(await settled(later)).toBe(true);
  });
});
