import request from "supertest";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { startTestIssuer, type TestIssuer } from "../support/jwks";

// What Entra sends for a non-gallery app when the Secret Token is left blank (idp-behaviours E22).
const ISSUER = "https://sts.windows.net/11111111-2222-3333-4444-555555555555/";
const AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

let t: TestApp;
let entra: TestIssuer;

beforeAll(async () => {
  entra = await startTestIssuer(ISSUER, AUDIENCE);
  t = await startTestApp({ SCIM_JWT_ISSUER: ISSUER, SCIM_JWT_AUDIENCE: AUDIENCE, SCIM_JWT_JWKS_URL: entra.jwksUrl });
});
afterAll(async () => {
  await t.close();
  await entra.close();
});

const sign = (o: { iss?: string; aud?: string; exp?: string | number; untrusted?: boolean } = {}) =>
  entra.sign({ appid: "entra-provisioning" }, o);

describe("SCIM bearer JWTs from the configured issuer (jose + JWKS)", () => {
  it("accepts a valid JWT and records its issuer as the actor", async () => {
    const res = await request(t.app)
      .post("/scim/v2/Users")
      .set("Authorization", `Bearer ${await sign()}`)
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(buildScimUser()))
      .expect(201);
    const [audit] = await t.ds.query("SELECT actor_id, actor_name FROM audit_events WHERE target_id = $1", [
      res.body.id,
    ]);
    expect(audit).toEqual({ actor_id: "entra-provisioning", actor_name: `jwt:${ISSUER}` });
  });

  it.each([
    ["a wrong audience", () => sign({ aud: "someone-else" })],
    ["a wrong issuer", () => sign({ iss: "https://evil.example/" })],
    ["an expired token", () => sign({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ["a key not in the JWKS", () => sign({ untrusted: true })],
  ])("refuses %s with 401", async (_case, make) => {
    const res = await request(t.app)
      .get("/scim/v2/Users")
      .set("Authorization", `Bearer ${await make()}`)
      .expect(401);
    expect(res.body).toMatchObject({ status: "401", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
  });

  it("still accepts Roster's own scim tokens", async () => {
    await t.scim.get("/Users").expect(200);
  });
});
