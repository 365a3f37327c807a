import { existsSync, readFileSync, readdirSync } from "node:fs";

/**
 * CPU accounting from /proc (Linux only; elsewhere every figure is null), in cores' worth (1.0 = one core busy) over a
 * window: this bench's own process tree (bench, server, its embedded PostgreSQL, the bare express child), every other
 * user-space process, and the kernel (its threads and interrupts: disk flushes and loopback TCP, much of it on our behalf).
 * On a shared 2-core box the "others" figure says how far to trust the rest.
 */
export interface CpuWindow {
  /** This process: autocannon, the raw-insert loops. */
  bench: number | null;
  /** Node children: the Roster server, or the bare express app. */
  app: number | null;
  /** The embedded PostgreSQL (with DATABASE_URL a local one counts among the others). */
  db: number | null;
  kernel: number | null;
  others: number | null;
}

type Ticks = Omit<Record<keyof CpuWindow, number>, "kernel">;

const HZ = 100; // USER_HZ: /proc reports ticks of 1/100 s on every mainstream Linux
const available = existsSync("/proc/stat");

function machineBusyTicks(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle, iowait and steal (the hypervisor's) are not work done here
  return cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6];
}

/**
 * Ticks of this process tree and of all other user-space processes. Each process counts its own time plus that of
 * the children it reaped (cutime, cstime), so summing every live process at two instants accounts for processes
 * that ended in between, whoever their parent was.
 */
function processTicks(): Ticks {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  const name = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      name.set(Number(entry), stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      // the process ended while we looked
    }
  }
  const sums: Ticks = { bench: 0, app: 0, db: 0, others: 0 };
  for (const [pid, t] of ticks) {
    if (pid === 2 || parent.get(pid) === 2) continue; // kernel threads
    let mine = false;
    for (let p: number | undefined = pid; p && p > 1 && !mine; p = parent.get(p)) mine = p === process.pid;
    if (!mine) sums.others += t;
    else if (pid === process.pid) sums.bench += t;
    else if (name.get(pid) === "postgres") sums.db += t;
    else sums.app += t;
  }
  return sums;
}

export function startCpuWindow(): () => CpuWindow {
  if (!available) return () => ({ bench: null, app: null, db: null, kernel: null, others: null });
  const started = performance.now();
  const machine0 = machineBusyTicks();
  const p0 = processTicks();
  return () => {
    const cores = (ticks: number) => Math.max(0, ticks) / HZ / ((performance.now() - started) / 1000);
    const p1 = processTicks();
    const [bench, app, db, others] = (["bench", "app", "db", "others"] as const).map((k) => cores(p1[k] - p0[k]));
    return {
      bench,
      app,
      db,
      others,
      kernel: Math.max(0, cores(machineBusyTicks() - machine0) - bench - app - db - others),
    };
  };
}

export function cpuModel(): string {
  if (!available) return "?";
  const line = readFileSync("/proc/cpuinfo", "utf8")
    .split("\n")
    .find((l) => l.startsWith("model name"));
  return line?.split(":")[1]?.trim() ?? "?";
}
