/**
 * A wake-up call between parts built apart: the composition root creates it and hands it to the side that notifies
 * (JobsService, when a job is created) and to the side that listens (the worker's runner).
 */
export class Signal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on each notify until the returned function is called. */
  listen(listener: () => void): () => void {
    const own = () => listener();
    this.listeners.add(own);
    return () => void this.listeners.delete(own);
  }
}
