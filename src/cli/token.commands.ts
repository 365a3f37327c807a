import type { Command } from "commander";
import { type Ctx, systemActor } from "../domain/context";
import { withDatabase } from "./with-database";

const cliCtx: Ctx = {
  actor: { ...systemActor, name: `cli:${process.env.USER ?? "operator"}` },
  door: "cli",
  requestId: null,
};

/** `roster token create|list|revoke`. `create` prints the token alone on stdout; it cannot be shown again. */
export function tokenCommands(program: Command): void {
  const token = program.command("token").description("manage bearer tokens (scopes: scim, admin, auditor)");
  token
    .command("create")
    .requiredOption("--name <name>", "a name to recognise the token by (e.g. okta-prod)")
    .requiredOption("--scope <scope>", "scim (identity providers), admin or auditor")
    .option("--user <userName>", "act as this person: their system role and admin scope apply (admin/auditor only)")
    .action((o: { name: string; scope: string; user?: string }) =>
      withDatabase(async ({ tokens }) => {
        const { token: secret } = await tokens.create(cliCtx, o.name, o.scope, o.user);
        process.stdout.write(`${secret}\n`);
      }),
    );
  token
    .command("list")
    .description("list live tokens (names and scopes, never the secrets)")
    .action(() =>
      withDatabase(async ({ tokens }) => {
        for (const t of await tokens.list())
          process.stdout.write(`${t.name}\t${t.scope}\t${t.createdAt.toISOString()}\n`);
      }),
    );
  token
    .command("revoke <name>")
    .description("revoke a token by name")
    .action((name: string) =>
      withDatabase(async ({ tokens }) => {
        await tokens.revoke(cliCtx, name);
        process.stderr.write(`token ${name} revoked\n`);
      }),
    );
}
