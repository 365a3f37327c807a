import type { Express } from "express";
import request from "supertest";
import type { DataSource } from "typeorm";
import { createApp } from "../../src/app";
import { createServices } from "../../src/composition";
import { openTestDataSource } from "../support/database";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { startTestIssuer, type TestIssuer } from "../support/jwks";

// RFC 6585 §4 (429 Too Many Requests) with an RFC 7644 §3.12 error body: a small budget per SCIM credential, counted in
// PostgreSQL, so that two app instances on one database (two replicas) share it.
const BUDGET = 5;
const ISSUER = "https://idp.example.test/";
const AUDIENCE = "roster-scim";
const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
const BULK_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const ENV = { SCIM_RATE_LIMIT_PER_MINUTE: String(BUDGET), SCIM_BULK_MAX_OPERATIONS: String(BUDGET) };

let t: TestApp;
let issuer: TestIssuer;
let second: { app: Express; ds: DataSource };

beforeAll(async () => {
  issuer = await startTestIssuer(ISSUER, AUDIENCE);
  t = await startTestApp({
    ...ENV,
    SCIM_JWT_ISSUER: ISSUER,
    SCIM_JWT_AUDIENCE: AUDIENCE,
    SCIM_JWT_JWKS_URL: issuer.jwksUrl,
  });
  // A second replica: its own connection pool and services, the same database.
  const ds = await openTestDataSource();
  second = { ds, app: createApp(t.cfg, ds, createServices(ds, t.cfg)) };
});
afterAll(async () => {
  await second.ds.destroy();
  await t.close();
  await issuer.close();
});

const get = (app: Express, bearer: string) =>
  request(app).get("/scim/v2/Users?count=1").set("Authorization", `Bearer ${bearer}`);

async function spend(app: Express, bearer: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await get(app, bearer).expect(200);
}

describe("RFC 6585 §4 / RFC 7644 §3.12: a budget per SCIM credential", () => {
  it("answers 429 with Retry-After, a SCIM error body and the RateLimit headers once a token is over its budget", async () => {
    const token = await t.token("scim");
    const first = await get(t.app, token).expect(200);
    // draft 8: the policy and what is left of it, with a partition key (a hash of the credential's key).
    expect(first.headers["ratelimit-policy"]).toMatch(new RegExp(`^"scim"; q=${BUDGET}; w=60; pk=:[\\w+/=]+:$`));
    expect(first.headers.ratelimit).toMatch(new RegExp(`^"scim"; r=${BUDGET - 1}; t=\\d+`));
    await spend(t.app, token, BUDGET - 1);

    const res = await get(t.app, token).expect(429);
    expect(res.headers["content-type"]).toMatch(/^application\/scim\+json/);
    const retryAfter = Number(res.headers["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(res.body).toEqual({
      schemas: [ERROR_URN],
      status: "429",
      detail: expect.stringContaining(`at most ${BUDGET} a minute`),
    });
    expect(res.headers.ratelimit).toMatch(/^"scim"; r=0; t=\d+/);
    // Writes are refused too, before anything is parsed or stored.
    await request(t.app)
      .post("/scim/v2/Users")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(buildScimUser()))
      .expect(429);
  });

  it("leaves another token's budget untouched", async () => {
    const busy = await t.token("scim");
    await spend(t.app, busy, BUDGET);
    await get(t.app, busy).expect(429);
    const other = await t.token("scim");
    await spend(t.app, other, BUDGET);
  });

  it("shares one budget between two app instances on one database (replicas)", async () => {
    const token = await t.token("scim");
    await spend(t.app, token, 3);
    await spend(second.app, token, BUDGET - 3);
    await get(second.app, token).expect(429);
    await get(t.app, token).expect(429);
  });

  it("limits a JWT caller by its issuer and subject, whichever JWT it presents", async () => {
    const sign = (sub: string) => issuer.sign({ sub });
    for (let i = 0; i < BUDGET; i++) await get(t.app, await sign("client-a")).expect(200);
    const res = await get(t.app, await sign("client-a")).expect(429);
    expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: "429" });
    await get(t.app, await sign("client-b")).expect(200);
    await get(t.app, t.scimToken).expect(200);
  });

  it("counts a /Bulk request as its operations, and refuses one that does not fit before applying any", async () => {
    const bulk = (token: string, n: number) =>
      request(t.app)
        .post("/scim/v2/Bulk")
        .set("Authorization", `Bearer ${token}`)
        .set("Content-Type", "application/scim+json")
        .send(
          JSON.stringify({
            schemas: [BULK_URN],
            Operations: Array.from({ length: n }, (_, i) => ({
              method: "POST",
              path: "/Users",
              bulkId: `u${i}`,
              data: buildScimUser(),
            })),
          }),
        );
    const token = await t.token("scim");
    await bulk(token, BUDGET - 1).expect(200);
    await get(t.app, token).expect(200);
    await get(t.app, token).expect(429);

    const other = await t.token("scim");
    await get(t.app, other).expect(200);
    const before = await t.ds.query("SELECT count(*)::int AS n FROM users");
    const res = await bulk(other, BUDGET).expect(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: "429" });
    expect(await t.ds.query("SELECT count(*)::int AS n FROM users")).toEqual(before);
  });
});

describe("each process writes its count in batches of 1% of the budget", () => {
  const hitsOf = async (key: string) =>
    (await t.ds.query("SELECT hits FROM rate_limit_hits WHERE key = $1", [key]))[0]?.hits;

  it("writes the first hit of a window at once, then one upsert per batch, and still refuses past the budget", async () => {
    const budget = 200; // batches of 2
    const app = createApp({ ...t.cfg, SCIM_RATE_LIMIT_PER_MINUTE: budget }, t.ds, t.services);
    const token = await t.token("scim");
    const [{ id }] = await t.ds.query("SELECT id FROM api_tokens ORDER BY created_at DESC, id LIMIT 1");
    const key = `scim:token:${id}`;
    await get(app, token).expect(200);
    expect(await hitsOf(key)).toBe(1);
    const second = await get(app, token).expect(200);
    expect(await hitsOf(key)).toBe(1);
    expect(second.headers.ratelimit).toMatch(new RegExp(`^"scim"; r=${budget - 2};`));
    await get(app, token).expect(200);
    expect(await hitsOf(key)).toBe(3);
    await spend(app, token, budget - 3);
    await get(app, token).expect(429);
  });
});

describe("SCIM_RATE_LIMIT_PER_MINUTE=0", () => {
  it("turns the limit off: no count, no RateLimit headers", async () => {
    const off = createApp({ ...t.cfg, SCIM_RATE_LIMIT_PER_MINUTE: 0 }, t.ds, t.services);
    const token = await t.token("scim");
    for (let i = 0; i < BUDGET + 2; i++) {
      const res = await get(off, token).expect(200);
      expect(res.headers.ratelimit).toBeUndefined();
    }
  });
});
