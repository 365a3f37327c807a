import type { Express } from "express";
import request from "supertest";
import type { DataSource } from "typeorm";
import { createApp } from "../../src/app";
import { createServices } from "../../src/composition";
import { parseConfig } from "../../src/config/env";
import { createDataSource, dbTimeouts } from "../../src/db/data-source";
import { systemActor } from "../../src/domain/context";
import { openTestDataSource, resetDatabase, workerDatabaseUrl } from "../support/database";
import { buildScimUser } from "../support/factories";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

// Small bounds so the stall is noticed fast: a reply within 1 s, a pool slot or new connection within 1 s.
const env = {
  DB_CONNECT_TIMEOUT_MS: "1000",
  DB_STATEMENT_TIMEOUT_MS: "800",
  DB_LOCK_TIMEOUT_MS: "500",
  DB_QUERY_TIMEOUT_MS: "1000",
};
// Whatever the request was doing when the database stalled: a reply wait, then at most a connection wait, plus slack
// for a loaded 2-core machine. Without bounds these requests would hang for the whole stall.
const BOUND_MS = 4000;

let proxy: TcpProxy;
let ds: DataSource;
let direct: DataSource;
let app: Express;
let scimToken: string;
let adminToken: string;

beforeAll(async () => {
  direct = await openTestDataSource();
  await resetDatabase(direct);
  const url = new URL(await workerDatabaseUrl());
  proxy = await startTcpProxy(Number(url.port));
  url.port = String(proxy.port);
  const cfg = parseConfig({ ...process.env, ...env });
  ds = createDataSource(url.toString(), 3, dbTimeouts(cfg));
  await ds.initialize();
  const services = createServices(ds, cfg);
  const ctx = { actor: systemActor, door: "cli" as const, requestId: null };
  scimToken = (await services.tokens.create(ctx, "stall-idp", "scim")).token;
  adminToken = (await services.tokens.create(ctx, "stall-admin", "admin")).token;
  app = createApp(cfg, ds, services);
});

// A failed assertion mid-stall must not leave the next test stalled.
afterEach(() => proxy.resume());

afterAll(async () => {
  proxy.resume();
  await ds.destroy().catch(() => undefined);
  await direct.destroy();
  await proxy.cut();
});

const scim = () => ({
  list: () => request(app).get("/scim/v2/Users").set("Authorization", `Bearer ${scimToken}`),
  create: (userName: string) =>
    request(app)
      .post("/scim/v2/Users")
      .set("Authorization", `Bearer ${scimToken}`)
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(buildScimUser({ userName }))),
});
const admin = () => ({
  search: () => request(app).get("/admin/v1/users").set("Authorization", `Bearer ${adminToken}`),
  entity: (name: string) =>
    request(app)
      .post("/admin/v1/entities")
      .set("Authorization", `Bearer ${adminToken}`)
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ name })),
});

const auth = () => ({
  login: () =>
    request(app)
      .post("/auth/login")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ login: "nobody@example.test", password: "not the password" })),
  invitationPage: () =>
    request(app)
      .get(`/auth/invitations/${"C".repeat(43)}`)
      .set("Accept", "text/html"),
});

/** Sends a request and notes how long its answer took. */
async function timed(req: request.Test): Promise<{ res: request.Response; ms: number }> {
  const started = Date.now();
  const res = await req.ok(() => true);
  return { res, ms: Date.now() - started };
}

const usersNamed = async (prefix: string) =>
  Number((await direct.query(`SELECT count(*) FROM users WHERE user_name LIKE $1`, [`${prefix}%`]))[0].count);

describe("a stalled database (connections open, no answers)", () => {
  it("answers 503 with Retry-After within a few seconds on every door, then recovers by itself", async () => {
    // Warm: the tokens are cached and the pool holds live connections that are about to stall.
    expect((await scim().list()).status).toBe(200);
    expect((await admin().search()).status).toBe(200);

    proxy.pause();
    // In flight when the database stops answering, one of them a write...
    const inFlight = [
      timed(scim().list()),
      timed(scim().create("stall-a@example.test")),
      timed(admin().search()),
      timed(admin().entity("Stalled")),
    ];
    await new Promise((r) => setTimeout(r, 300));
    // ...and new ones arriving while the pool's connections hang.
    const arriving = [
      timed(scim().list()),
      timed(admin().search()),
      timed(request(app).get("/readyz")),
      timed(auth().login()),
      timed(auth().invitationPage()),
    ];
    const answers = await Promise.all([...inFlight, ...arriving]);

    const [scimList, scimCreate, adminSearch, adminEntity, scimLater, adminLater, ready, login, page] = answers;
    for (const { res, ms } of answers) {
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toMatch(/^\d+$/);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    for (const { res } of [scimList, scimCreate, scimLater]) {
      expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "503" });
    }
    for (const { res } of [adminSearch, adminEntity, adminLater]) {
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 503, code: "unavailable" });
    }
    expect(ready.res.body).toMatchObject({ status: "unavailable" });
    expect(login.res.body).toMatchObject({ status: 503, code: "unavailable" });
    // The per-address rate limit (counted in PostgreSQL) is asked before the page, so it answers problem+json too.
    expect(page.res.body).toMatchObject({ status: 503, code: "unavailable" });

    proxy.resume();
    // The very next requests succeed: the stalled connections were discarded, not handed out again.
    expect((await scim().list()).status).toBe(200);
    expect((await admin().search()).status).toBe(200);
    expect((await scim().create("stall-b@example.test")).status).toBe(201);
    expect((await admin().entity("After the stall")).status).toBe(201);
    expect((await request(app).get("/readyz")).status).toBe(200);
    expect((await auth().login()).status).toBe(401);
    // The write that answered 503 never reached the database.
    expect(await usersNamed("stall-a@")).toBe(0);
    expect(await usersNamed("stall-b@")).toBe(1);
  });

  it("discards stalled connections: when they never come back, fresh ones serve the next requests", async () => {
    // Fill the pool with live connections first, so the stall catches several of them.
    expect((await Promise.all([scim().list(), admin().search(), scim().list()])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    proxy.pause();
    const stalled = await Promise.all([timed(scim().list()), timed(admin().search())]);
    for (const { res, ms } of stalled) {
      expect(res.status).toBe(503);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    // The connections open during the stall stay dead (a lost path); a client reused from them would hang again.
    proxy.resume({ abandon: true });
    const after = await Promise.all([scim().list(), scim().list(), admin().search(), admin().search()]);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});

describe("a statement the server itself stops", () => {
  it("answers 503 with Retry-After when a lock is held past DB_LOCK_TIMEOUT_MS, and changes nothing", async () => {
    const runner = direct.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Holds every row lock a user create needs beyond its own row: the table itself, in a mode that blocks inserts.
      await runner.query("LOCK TABLE users IN SHARE MODE");
      const { res, ms } = await timed(scim().create("locked-out@example.test"));
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toMatch(/^\d+$/);
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await usersNamed("locked-out@")).toBe(0);
    expect((await scim().create("locked-out@example.test")).status).toBe(201);
  });
});
