import { spawnSync } from "node:child_process";
import http from "node:http";
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../src/db/embedded";
import { fetchFresh as fetch, killStrayServers, runCli, startServer, tempDataDir } from "../support/process";

const ROOT = path.resolve(__dirname, "../..");
const scimJson = { "Content-Type": "application/scim+json" };

afterEach(killStrayServers);

describe("the process: configuration, embedded database, CLI, shutdown", () => {
  it("stops with one clear line naming a bad variable", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "eighty" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/PORT/);
  });

  it("starts an embedded PostgreSQL, keeps data across a restart, serves the CLI beside it and stops cleanly on SIGTERM", async () => {
    const dataDir = tempDataDir();
    // The default token cache (10 s) is on: a revocation by the CLI must still bite at once (LISTEN/NOTIFY).
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
    };
    try {
      let server = await startServer(env);
      const created = runCli(["token", "create", "--name", "okta-e2e", "--scope", "scim"], env);
      expect(created.status).toBe(0);
      expect(created.stdout).toMatch(/^rst_[\w-]{43}\n$/);
      const auth = { Authorization: `Bearer ${created.stdout.trim()}` };
      expect(runCli(["token", "list"], env).stdout).toMatch(/^okta-e2e\tscim\t/m);

      const post = await fetch(`${server.baseUrl}/scim/v2/Users`, {
        method: "POST",
        headers: { ...auth, ...scimJson, "X-Request-Id": "e2e-req-42" },
        body: JSON.stringify({ userName: "kept@example.test" }),
      });
      expect(post.status).toBe(201);
      expect(post.headers.get("x-request-id")).toBe("e2e-req-42");
      const { id } = (await post.json()) as { id: string };
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/roster_http_requests_total\{method="POST",route="\/scim\/v2\/Users\/",status="201"\} 1/);

      expect(await server.stop("SIGTERM")).toBe(0);
      const lines = server.stdout().trim().split("\n");
      expect(lines.every((l) => JSON.parse(l))).toBe(true);
      expect(server.stdout()).not.toContain(created.stdout.trim());
      const requestLine = lines.map((l) => JSON.parse(l)).find((l) => l.req?.id === "e2e-req-42");
      expect(requestLine).toMatchObject({
        req: { method: "POST", headers: { authorization: "[redacted]" } },
        res: { statusCode: 201 },
      });

      server = await startServer(env);
      const again = await fetch(`${server.baseUrl}/scim/v2/Users/${id}`, { headers: auth });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { userName: string }).userName).toBe("kept@example.test");

      expect(runCli(["token", "revoke", "okta-e2e"], env).status).toBe(0);
      expect((await fetch(`${server.baseUrl}/scim/v2/Users/${id}`, { headers: auth })).status).toBe(401);
      expect(await server.stop("SIGINT")).toBe(0);
      // The CLI also works with no server running (it starts and stops the embedded database itself).
      expect(runCli(["token", "list"], env).status).toBe(0);
      // The audit chain verifies, and still holds the head the server logged at its second start (token and user created).
      const head = /"msg":"audit chain head (2:[0-9a-f]{64})"/.exec(server.stdout())?.[1];
      expect(head).toBeDefined();
      const verified = runCli(["audit", "verify", "--anchor", head!], env);
      expect(verified.stdout).toMatch(/^audit chain intact: 3 records checked/);
      expect(verified.status).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("on SIGTERM stops accepting connections but finishes the request in flight", async () => {
    const dataDir = tempDataDir();
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
    };
    try {
      const server = await startServer(env);
      const token = runCli(["token", "create", "--name", "drain", "--scope", "scim"], env).stdout.trim();
      const body = JSON.stringify({ userName: "in-flight@example.test" });
      const response = new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.baseUrl}/scim/v2/Users`,
          {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, ...scimJson, "Content-Length": Buffer.byteLength(body) },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on("error", reject);
        req.write(body.slice(0, 10)); // half a body: the request is in flight when the signal comes
        setTimeout(() => {
          server.proc.kill("SIGTERM");
          setTimeout(async () => {
            const refused = await fetch(`${server.baseUrl}/healthz`).then(
              () => false,
              () => true,
            );
            expect(refused).toBe(true);
            req.end(body.slice(10));
          }, 500);
        }, 300);
      });
      expect(await response).toBe(201);
      expect(await server.stop("SIGTERM")).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
