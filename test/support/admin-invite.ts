import { runCli } from "./process";

/** `roster admin invite EMAIL` run as a child process; its exit status, output and the link it printed (if one). */
export function inviteAdminWithCli(email: string, env: Record<string, string>) {
  const r = runCli(["admin", "invite", email], env);
  const link = r.status === 0 ? r.stdout.trim() : null;
  return { ...r, link, token: link?.split("/").pop() ?? null };
}
