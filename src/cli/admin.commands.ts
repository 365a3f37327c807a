import type { Command } from "commander";
import { issuerOf } from "../config/issuer";
import { type Ctx, systemActor } from "../domain/context";
import { withDatabase } from "./with-database";

const cliCtx: Ctx = {
  actor: { ...systemActor, name: `cli:${process.env.USER ?? "operator"}` },
  door: "cli",
  requestId: null,
};

/**
 * `roster admin invite EMAIL`: the first admin of a fresh install (decision 0143). Prints ONE line on stdout, the
 * one-time set-password link on Roster's own page (PUBLIC_BASE_URL/auth/invitations/<token>, not INVITE_LINK_TEMPLATE:
 * a platform's page may not set a password for someone who joined already); what was done goes to stderr.
 */
export function adminCommands(program: Command): void {
  const admin = program.command("admin").description("console administrators");
  admin
    .command("invite <email>")
    .description(
      "create or promote a person to admin of the whole organisation and print a one-time set-password link (valid 24 h)",
    )
    .action((email: string) =>
      withDatabase(async ({ adminInvites }, cfg) => {
        const done = await adminInvites.invite(cliCtx, email);
        const what = done.created ? "created as admin" : done.promoted ? "promoted to admin" : "already an admin";
        process.stderr.write(
          `${done.user.userName} ${what}; the link below works once, until ${done.expiresAt.toISOString()}, and replaces any earlier one\n`,
        );
        process.stdout.write(`${issuerOf(cfg)}/auth/invitations/${done.token}\n`);
      }),
    );
}
