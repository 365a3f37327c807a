import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what a full collection left, as a share (decision 0151). V8 picks that factor
 * itself (1.1x to 4x, from how fast it collects) and, with node's default limit of gigabytes, raised it while an
 * import's garbage arrived fast: 400-535 MB peaks around a live heap of about 92 MB. A fixed share keeps the peak near
 * the live heap plus that share whatever the file size, at the same speed, and unlike `--max-old-space-size` it is
 * not a limit: a process whose live heap grows still grows with it instead of ending out of memory.
 * `--heap-growing-percent` is read each time V8 sets its next collection point, so setting it at start takes effect.
 * A value given on node's command line wins; 0 leaves V8's own choice.
 */
export function setHeapGrowth(percent: number): void {
  if (percent <= 0 || process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
