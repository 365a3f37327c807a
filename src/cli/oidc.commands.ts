import type { Command } from "commander";
import { type Ctx, systemActor } from "../domain/context";
import { withDatabase } from "./with-database";

const cliCtx: Ctx = {
  actor: { ...systemActor, name: `cli:${process.env.USER ?? "operator"}` },
  door: "cli",
  requestId: null,
};

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `roster client create|list|delete` (platform clients of the OpenID Provider) and `roster keys rotate`.
 * `client create` prints ONE line of JSON with client_id and client_secret: the secret cannot be shown again.
 */
export function oidcCommands(program: Command): void {
  const client = program.command("client").description("platform clients of Roster's OpenID Provider");
  client
    .command("create")
    .requiredOption("--name <name>", "a name to recognise the client by (e.g. platform)")
    .requiredOption("--redirect-uri <uri>", "where the platform receives the code (repeat for several)", collect, [])
    .option("--post-logout-uri <uri>", "where the browser may go after signing out (repeat for several)", collect, [])
    .option("--backchannel-logout-uri <uri>", "where the platform is told of a logout (OpenID Back-Channel Logout)")
    .action((o: { name: string; redirectUri: string[]; postLogoutUri: string[]; backchannelLogoutUri?: string }) =>
      withDatabase(async ({ oidcClients }) => {
        const c = await oidcClients.create(cliCtx, {
          name: o.name,
          redirectUris: o.redirectUri,
          postLogoutRedirectUris: o.postLogoutUri,
          backchannelLogoutUri: o.backchannelLogoutUri ?? null,
        });
        process.stdout.write(
          `${JSON.stringify({
            client_id: c.clientId,
            client_secret: c.clientSecret,
            name: c.name,
            redirect_uris: c.redirectUris,
            post_logout_redirect_uris: c.postLogoutRedirectUris,
            backchannel_logout_uri: c.backchannelLogoutUri,
          })}\n`,
        );
      }),
    );
  client
    .command("list")
    .description("list the clients (never their secrets), one JSON line each")
    .action(() =>
      withDatabase(async ({ oidcClients }) => {
        for (const c of await oidcClients.list())
          process.stdout.write(
            `${JSON.stringify({ client_id: c.clientId, name: c.name, redirect_uris: c.redirectUris })}\n`,
          );
      }),
    );
  client
    .command("delete <clientId>")
    .description("delete a client: its tokens stop working")
    .action((clientId: string) =>
      withDatabase(async ({ oidcClients }) => {
        await oidcClients.delete(cliCtx, clientId);
        process.stderr.write(`client ${clientId} deleted\n`);
      }),
    );

  program
    .command("keys")
    .description("the OpenID Provider's signing keys")
    .command("rotate")
    .description("sign with a new key; the previous one keeps verifying until the tokens it signed expire")
    .action(() =>
      withDatabase(async ({ oidcKeys }) => {
        await oidcKeys.keys(cliCtx); // a first key, if the server never started
        const { kid, retired } = await oidcKeys.rotate(cliCtx);
        process.stdout.write(`${JSON.stringify({ kid, retired })}\n`);
      }),
    );
}
