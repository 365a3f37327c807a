import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * `roster admin invite EMAIL` run as a child process (bin/roster.js); its exit status, output and the link it printed.
 * Asynchronous, unlike runCli: a server in the test's own process keeps answering (and its kept-alive sockets stay
 * usable) while the CLI runs.
 */
export async function inviteAdminWithCli(email: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["bin/roster.js", "admin", "invite", email], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const status = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  clearTimeout(timer);
  const link = status === 0 ? stdout.trim() : null;
  return { status, stdout, stderr, link, token: link?.split("/").pop() ?? null };
}
