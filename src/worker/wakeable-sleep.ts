/** Sleeps that `wake()` cuts short: an idle work loop waits for its next poll, or for news of work, whichever comes first. */
export class WakeableSleep {
  private woken = false;
  private readonly sleepers = new Set<() => void>();

  /** Call before looking for work, so a wake that arrives while looking is not lost. */
  reset(): void {
    this.woken = false;
  }

  wake(): void {
    this.woken = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /** News of one piece of work: one sleeper looks (all would race for it, and all but one find nothing). */
  wakeOne(): void {
    const first = this.sleepers.values().next();
    if (first.done) this.woken = true;
    else first.value();
  }

  sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
