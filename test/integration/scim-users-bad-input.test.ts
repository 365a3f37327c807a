import request from "supertest";
import { createApp } from "../../src/app";
import { createServices } from "../../src/composition";
import { parseConfig } from "../../src/config/env";
import { createDataSource } from "../../src/db/data-source";
import { workerDatabaseUrl } from "../support/database";
import { startTcpProxy } from "../support/tcp-proxy";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
// Strict: an unknown attribute is refused (the default ignores it, msft-collection-quirks.test.ts).
beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT_BYTES: "4096", SCIM_STRICT_ATTRIBUTES: "true" });
});
afterAll(async () => t.close());

const userCount = async () => Number((await t.ds.query("SELECT count(*) FROM users"))[0].count);
const scimError = (body: Record<string, unknown>, status: number) =>
  expect(body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status) });

describe("SCIM bad input: clear errors, nothing written, never a 500", () => {
  it("refuses requests without a valid scim token with 401 and a SCIM error body", async () => {
    const none = await request(t.app).get("/scim/v2/Users").expect(401);
    scimError(none.body, 401);
    const wrong = await request(t.app).get("/scim/v2/Users").set("Authorization", "Bearer nope").expect(401);
    scimError(wrong.body, 401);
  });

  it("answers malformed JSON with 400 invalidSyntax", async () => {
    const res = await t.scim
      .post("/Users")
      .set("Content-Type", "application/scim+json")
      .send('{"userName": ')
      .expect(400);
    expect(res.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
  });

  it.each([
    ["missing userName", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] }, /userName/],
    ["empty userName", buildScimUser({ userName: "   " }), /userName/],
    ["wrong schema", { schemas: ["urn:example:Nope"], userName: "x@y.z" }, /schema/i],
    ["unknown attribute", buildScimUser({ favouriteColour: "blue" }), /favouriteColour/],
    ["wrong type", buildScimUser({ active: "maybe" }), /active/],
    [
      "two primary emails",
      buildScimUser({
        emails: [
          { value: "a@x.y", primary: true },
          { value: "b@x.y", primary: true },
        ],
      }),
      /primary/,
    ],
  ])("refuses %s with 400 naming the field and writes nothing", async (_case, body, detail) => {
    const before = await userCount();
    const res = await t.scim.post("/Users", body).expect(400);
    scimError(res.body, 400);
    expect(res.body.detail).toMatch(detail);
    expect(await userCount()).toBe(before);
  });

  it("answers an over-long body with 413", async () => {
    const res = await t.scim.post("/Users", buildScimUser({ displayName: "x".repeat(10_000) })).expect(413);
    scimError(res.body, 413);
  });

  it("answers a non-JSON content type with 415", async () => {
    await t.scim.post("/Users").set("Content-Type", "text/plain").send("userName=x").expect(415);
  });

  it.each([
    ["userName eq", /./],
    ['userName xx "a"', /./],
    ['(userName eq "a"', /paren/i],
    ['nosuch eq "a"', /nosuch/],
    ["active gt true", /active/],
    ['meta.created gt "yesterday"', /./],
    [`userName eq "${"a".repeat(5000)}"`, /longer/],
  ])("answers the filter %s with 400 invalidFilter", async (filter, detail) => {
    const res = await t.scim.get(`/Users?filter=${encodeURIComponent(filter)}`).expect(400);
    expect(res.body).toMatchObject({ status: "400", scimType: "invalidFilter" });
    expect(res.body.detail).toMatch(detail);
  });

  it("answers a bad PATCH with 400 and leaves the user unchanged", async () => {
    const created = (await t.scim.post("/Users", buildScimUser({ title: "Same" })).expect(201)).body;
    const cases = [
      patchOp(),
      { Operations: [{ op: "replace", path: "title", value: "x" }] },
      patchOp({ op: "explode", path: "title", value: "x" }),
      patchOp({ op: "replace", path: "nosuch", value: "x" }),
      patchOp({ op: "replace", path: "title", value: "New" }, { op: "replace", path: "active", value: "perhaps" }),
      patchOp({ op: "replace", path: "userName", value: "" }),
    ];
    for (const body of cases) {
      const res = await t.scim.patch(`/Users/${created.id}`, body);
      expect(res.status).toBe(400);
      scimError(res.body, 400);
    }
    const after = await t.scim.get(`/Users/${created.id}`).expect(200);
    expect(after.body.title).toBe("Same");
    expect(after.body.meta.version).toBe('W/"1"');
  });

  it("answers unsupported methods with 405 and unknown endpoints with 404, in SCIM form", async () => {
    scimError((await t.scim.put("/Users", {}).expect(405)).body, 405);
    scimError((await t.scim.get("/Nope").expect(404)).body, 404);
  });
});

describe("database outage", () => {
  it("answers 503, never 404 or 500, when PostgreSQL goes away", async () => {
    const url = new URL(await workerDatabaseUrl());
    const proxy = await startTcpProxy(Number(url.port));
    url.port = String(proxy.port);
    const ds = createDataSource(url.toString(), 2);
    await ds.initialize();
    const cfg = parseConfig({ ...process.env, TOKEN_CACHE_SECONDS: "60" });
    const services = createServices(ds, cfg);
    const { token } = await services.tokens.create(
      { actor: { type: "system", id: null, name: null }, door: "cli", requestId: null },
      "outage",
      "scim",
    );
    const app = createApp(cfg, ds, services);
    await request(app).get("/scim/v2/Users").set("Authorization", `Bearer ${token}`).expect(200); // warms the token cache
    await proxy.cut();
    const res = await request(app)
      .get("/scim/v2/Users/5b1c4d36-2b7a-4a57-9d6f-0e7c1b7f0d11")
      .set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(503);
    scimError(res.body, 503);
    const list = await request(app).get("/scim/v2/Users").set("Authorization", `Bearer ${token}`);
    expect(list.status).toBe(503);
    await request(app).get("/readyz").expect(503);
    await request(app).get("/healthz").expect(200);
    await ds.destroy().catch(() => undefined);
  });
});
