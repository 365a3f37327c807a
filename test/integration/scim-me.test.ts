import { rmSync } from "node:fs";
import { freePort } from "../../src/db/embedded";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { killStrayServers, startServer, tempDataDir } from "../support/process";

// RFC 7644 §3.11: /Me is optional; Roster answers 501 Not Implemented. That is an expected answer, not a server fault:
// the real process (`src/main.ts`, LOG_LEVEL=info) must log the request at info and no error-level line, no stack.
let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  t = await startTestApp();
  dataDir = tempDataDir();
});
afterAll(async () => {
  await killStrayServers();
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg?: string;
  err?: unknown;
  req?: { id?: string };
  res?: { statusCode?: number };
}

describe("RFC 7644 §3.11 /Me", () => {
  it("answers 501 with a §3.12 error body and logs no error for it", async () => {
    const server = await startServer({
      ROLE: "web",
      DATABASE_URL: await workerDatabaseUrl(),
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: "info",
    });
    const auth = { Authorization: `Bearer ${t.scimToken}` };
    const ids: string[] = [];
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", "{}"],
      ["DELETE", undefined],
    ] as const) {
      const id = `me-${method.toLowerCase()}-${Date.now()}`;
      ids.push(id);
      const headers = { ...auth, "X-Request-Id": id, ...(body ? { "Content-Type": "application/scim+json" } : {}) };
      const r = await fetch(`${server.baseUrl}/scim/v2/Me`, { method, headers, body });
      expect(r.status).toBe(501);
      expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
      expect(await r.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "501" });
    }
    expect(await server.stop()).toBe(0);

    const lines: LogLine[] = server
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const id of ids) {
      const line = lines.find((l) => l.req?.id === id);
      expect(line).toMatchObject({ level: 30, res: { statusCode: 501 } });
      expect(line!.err).toBeUndefined();
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(server.stdout()).not.toMatch(/"stack"/);
  }, 90_000);
});
