import { spawn } from "node:child_process";

/** The old space `roster import` gives itself when the operator chose none (decision 0142). */
export const IMPORT_OLD_SPACE_MB = 192;

const capped = (args: string[]) => args.some((a) => a.startsWith("--max-old-space-size"));

/**
 * Runs this command again in a child whose old space is capped at `mb`, unless the operator chose a size (node's own
 * `--max-old-space-size`, or in NODE_OPTIONS) or this is that child. Node's default heap limit here is gigabytes and V8
 * grows toward it lazily while an import's garbage comes fast: 500 MB peaks with nothing kept (decision 0129); capped,
 * the same work runs at the same speed in a bounded resident set. True when the child runs the command: this process
 * only passes signals on and ends with the child's exit code. The child ends at once when this process dies (kill -9
 * included: the IPC channel closes), so a kill still stops the import where its last batch committed.
 */
export function runCapped(mb: number): boolean {
  if (process.env.ROSTER_HEAP_CAPPED) {
    // The child: its parent gone, it stops (an open batch rolls back with the connection).
    if (process.channel) {
      process.channel.unref();
      process.once("disconnect", () => process.exit(1));
    }
    return false;
  }
  if (capped(process.execArgv) || capped((process.env.NODE_OPTIONS ?? "").split(/\s+/))) return false;
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${mb}`, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, ROSTER_HEAP_CAPPED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}
