import { rmSync } from "node:fs";
import { freePort } from "../../src/db/embedded";
import { inviteAdminWithCli } from "../support/admin-invite";
import { killStrayServers, startServer, tempDataDir } from "../support/process";

jest.setTimeout(400_000);
afterEach(killStrayServers);

it("`roster admin invite` joins a running server's embedded database, and works with the server stopped", async () => {
  const dataDir = tempDataDir();
  const port = await freePort();
  const env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await freePort()),
    DATABASE_URL: "",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  };
  try {
    const server = await startServer(env, 170_000);
    const beside = await inviteAdminWithCli("owner@example.test", env);
    expect(beside.stderr).toContain("created as admin");
    expect(beside.status).toBe(0);
    expect(beside.link).toMatch(new RegExp(`^http://127.0.0.1:${port}/auth/invitations/`));
    const seen = await fetch(beside.link!);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ userName: "owner@example.test", purpose: "set_password" });
    expect(await server.stop("SIGTERM")).toBe(0);

    // no server: the CLI starts the embedded database itself, and the earlier link is replaced
    const alone = await inviteAdminWithCli("owner@example.test", env);
    expect(alone.stderr).toContain("already an admin");
    expect(alone.status).toBe(0);
    const again = await startServer(env, 170_000);
    expect((await fetch(beside.link!)).status).toBe(410);
    expect((await fetch(alone.link!)).status).toBe(200);
    expect(await again.stop("SIGTERM")).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
