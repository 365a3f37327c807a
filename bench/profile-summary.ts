import { readFileSync } from "node:fs";

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: by area (a package, a src/ folder, node's
 * internals, GC), then the functions with the most self time and the most inclusive time. Time is taken from the
 * samples' timeDeltas; a function or area counts once per sample however deep it recurs. Percentages are of the busy
 * time (idle samples left out); `window` keeps only the samples between fromEnd and toEnd ms before the profile's end.
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [top=25]
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  endTime: number;
  startTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export interface Summary {
  /** Busy time sampled, and idle time, in ms. */
  totalMs: number;
  idleMs: number;
  areas: [string, number, number][];
  self: [string, number][];
  inclusive: [string, number][];
}

/** The area a frame belongs to: node_modules/<package>, src/<folder>, bench, node internals, or V8's own entries. */
export function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/src\/(.*)\/[^/]+$/.exec(url) ?? /\/src\/([^/]+)$/.exec(url);
  if (src) return `src/${src[1].split("/").slice(0, 2).join("/")}`;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0] === "internal" ? "internal" : url.slice(5)}`;
  return url.replace(/^file:\/\//, "");
}

export function summarise(file: string, top = 25, window?: { fromEndMs: number; toEndMs: number }): Summary {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: Node) => {
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|src|bench)\//, "$1/").replace(/^file:\/\//, "")}:${f.lineNumber + 1}`
      : "";
    return `${f.functionName || "(anonymous)"} ${where}`.trim();
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  const areaIncl = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  let idle = 0;
  let at = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(p.samples[i]);
    if (!leaf) continue;
    const beforeEnd = (p.endTime - at) / 1000;
    if (window && (beforeEnd > window.fromEndMs || beforeEnd < window.toEndMs)) continue;
    if (leaf.callFrame.functionName === "(idle)") {
      idle += dt;
      continue;
    }
    total += dt;
    add(self, key(leaf), dt);
    add(areaSelf, areaOf(leaf.callFrame.url, leaf.callFrame.functionName), dt);
    const seen = new Set<string>();
    const areas = new Set<string>();
    for (let n: Node | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
      seen.add(key(n));
      areas.add(areaOf(n.callFrame.url, n.callFrame.functionName));
    }
    for (const k of seen) add(incl, k, dt);
    for (const a of areas) add(areaIncl, a, dt);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    idleMs: idle,
    areas: sorted(areaSelf).map(([a, s]) => [a, s, areaIncl.get(a) ?? s]),
    self: sorted(self).slice(0, top),
    inclusive: sorted(incl)
      .filter(([k]) => !k.startsWith("(root)"))
      .slice(0, top),
  };
}

export function printSummary(s: Summary, say: (line: string) => void): void {
  const pct = (v: number) => `${((100 * v) / s.totalMs).toFixed(1).padStart(5)}%`;
  say(`profile: ${(s.totalMs / 1000).toFixed(1)} s busy (percentages of it), ${(s.idleMs / 1000).toFixed(1)} s idle`);
  say("by area (self / inclusive):");
  for (const [a, self, incl] of s.areas.slice(0, 20)) say(`  ${pct(self)} ${pct(incl)}  ${a}`);
  say("top self time:");
  for (const [k, v] of s.self) say(`  ${pct(v)}  ${k}`);
  say("top inclusive time:");
  for (const [k, v] of s.inclusive) say(`  ${pct(v)}  ${k}`);
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write("usage: tsx bench/profile-summary.ts FILE.cpuprofile [top]\n");
    process.exit(2);
  }
  printSummary(summarise(file, Number(top ?? 25)), (l) => process.stdout.write(`${l}\n`));
}
