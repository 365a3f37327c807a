import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's package: no browser download from the internet (only npm and apt are reachable), decision 0144. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

const INSTALL_HINT =
  "the browser tests (test/e2e) need Debian's chromium: run `apt-get install chromium` as root, or set CHROMIUM_PATH to a Chromium binary";

/**
 * The Chromium binary the browser tests drive: CHROMIUM_PATH, else Debian's, installed with apt-get when it is missing
 * and we are root (CI machines are fresh Debian with root and apt). Never throws: what went wrong is returned, and the
 * browser tests fail with it (real-browser.ts), while the rest of the suite runs.
 */
export function ensureChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { error: string } {
  const wanted = env.CHROMIUM_PATH;
  if (wanted)
    return existsSync(wanted) ? { path: wanted } : { error: `CHROMIUM_PATH=${wanted} does not exist: ${INSTALL_HINT}` };
  if (existsSync(DEFAULT_CHROMIUM)) return { path: DEFAULT_CHROMIUM };
  if (process.getuid?.() !== 0)
    return { error: `${DEFAULT_CHROMIUM} is missing and this is not root: ${INSTALL_HINT}` };
  process.stderr.write("chromium is missing: installing it with apt-get (once per test run)\n");
  const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const r = spawnSync("apt-get", args, { env: aptEnv, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) {
      const why = r.error?.message ?? r.stderr.trim().split("\n").slice(-2).join(" ");
      return { error: `apt-get ${args.join(" ")} failed (${why}): ${INSTALL_HINT}` };
    }
  }
  return existsSync(DEFAULT_CHROMIUM)
    ? { path: DEFAULT_CHROMIUM }
    : { error: `apt-get installed chromium but ${DEFAULT_CHROMIUM} is not there: ${INSTALL_HINT}` };
}
