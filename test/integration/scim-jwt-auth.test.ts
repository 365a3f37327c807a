import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import type * as Jose from "jose" with { "resolution-mode": "import" };
import request from "supertest";
import { startTestApp, TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";

const { exportJWK, generateKeyPair, SignJWT } = require("jose") as typeof Jose;
type CryptoKey = Awaited<ReturnType<typeof Jose.generateKeyPair>>["privateKey"];

// What Entra sends for a non-gallery app when the Secret Token is left blank (idp-behaviours E22).
const ISSUER = "https://sts.windows.net/11111111-2222-3333-4444-555555555555/";
const AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

let t: TestApp;
let jwks: Server;
let signingKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = createServer((_req, res) => res.setHeader("Content-Type", "application/json").end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
  t = await startTestApp({ SCIM_JWT_ISSUER: ISSUER, SCIM_JWT_AUDIENCE: AUDIENCE, SCIM_JWT_JWKS_URL: url });
});
afterAll(async () => {
  await t.close();
  jwks.closeAllConnections();
  await new Promise((resolve) => jwks.close(resolve));
});

const sign = (claims: { iss?: string; aud?: string; exp?: string | number } = {}, key = signingKey) =>
  new SignJWT({ appid: "entra-provisioning" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? "10m")
    .sign(key);

describe("SCIM bearer JWTs from the configured issuer (jose + JWKS)", () => {
  it("accepts a valid JWT and records its issuer as the actor", async () => {
    const res = await request(t.app).post("/scim/v2/Users").set("Authorization", `Bearer ${await sign()}`)
      .set("Content-Type", "application/scim+json").send(JSON.stringify(buildScimUser())).expect(201);
    const [audit] = await t.ds.query("SELECT actor_id, actor_name FROM audit_events WHERE target_id = $1", [res.body.id]);
    expect(audit).toEqual({ actor_id: "entra-provisioning", actor_name: `jwt:${ISSUER}` });
  });

  it.each([
    ["a wrong audience", () => sign({ aud: "someone-else" })],
    ["a wrong issuer", () => sign({ iss: "https://evil.example/" })],
    ["an expired token", () => sign({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ["a key not in the JWKS", () => sign({}, otherKey)],
  ])("refuses %s with 401", async (_case, make) => {
    const res = await request(t.app).get("/scim/v2/Users").set("Authorization", `Bearer ${await make()}`).expect(401);
    expect(res.body).toMatchObject({ status: "401", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
  });

  it("still accepts Roster's own scim tokens", async () => {
    await t.scim.get("/Users").expect(200);
  });
});
