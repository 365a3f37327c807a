import type { DataSource } from "typeorm";
import type { Ctx } from "../../src/domain/context";
import { TokensService } from "../../src/domain/tokens/tokens.service";
import { UsersRepository } from "../../src/domain/users/users.repository";
import type { Listener } from "../../src/db/notifications";
import { openTestDataSource, resetDatabase, workerDatabaseUrl } from "../support/database";

const cli: Ctx = { actor: { type: "system", id: null, name: "cli" }, door: "cli", requestId: null };
let ds: DataSource;
let server: TokensService;
let listener: Listener;
/** Another instance, as the CLI would have (no cache). */
const cliTokens = () => new TokensService(ds, new UsersRepository());

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  server = new TokensService(ds, new UsersRepository(), 60_000); // a server process: caches verified tokens for a minute
  listener = await server.watchRevocations(await workerDatabaseUrl());
});
afterAll(async () => {
  await listener.close();
  await ds.destroy();
});

async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe("token revocation reaches every server process at once", () => {
  it("a token revoked by another process (the CLI) stops working despite the cache", async () => {
    const { token } = await cliTokens().create(cli, "okta-a", "scim");
    expect(await server.authenticate(token)).toMatchObject({ name: "okta-a" });
    await cliTokens().revoke(cli, "okta-a"); // another instance, as the CLI would be
    expect(await eventually(async () => (await server.authenticate(token)) === null)).toBe(true);
  });

  it("after losing its LISTEN connection it forgets the cache and listens again", async () => {
    const { token } = await cliTokens().create(cli, "okta-b", "scim");
    expect(await server.authenticate(token)).not.toBeNull();
    await ds.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'roster-listen' AND datname = current_database()",
    );
    const relistened = await eventually(
      async () =>
        (
          await ds.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'roster-listen' AND datname = current_database()",
          )
        )[0].n === 1,
      5000,
    );
    expect(relistened).toBe(true);
    await cliTokens().revoke(cli, "okta-b");
    expect(await eventually(async () => (await server.authenticate(token)) === null)).toBe(true);
  });
});

describe("tokens are audited like every other table (through the unit of work)", () => {
  it("create and revoke each write their audit record with the change; a refused revoke writes nothing", async () => {
    const tokens = cliTokens();
    const { info } = await tokens.create(cli, "audited-a", "admin");
    await tokens.revoke(cli, "audited-a");
    await expect(tokens.revoke(cli, "audited-a")).rejects.toThrow(/not found/i);
    const rows = await ds.query(
      `SELECT action, target_type, target_id, actor_name, door, changes FROM audit_events WHERE target_type = 'token' AND target_id = $1 ORDER BY id`,
      [info.id],
    );
    expect(rows).toEqual([
      {
        action: "token.created",
        target_type: "token",
        target_id: info.id,
        actor_name: "cli",
        door: "cli",
        changes: { name: "audited-a", scope: "admin" },
      },
      {
        action: "token.revoked",
        target_type: "token",
        target_id: info.id,
        actor_name: "cli",
        door: "cli",
        changes: { name: "audited-a" },
      },
    ]);
  });
});
