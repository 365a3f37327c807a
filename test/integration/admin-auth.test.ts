import request from "supertest";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { startTestIssuer, type TestIssuer } from "../support/jwks";

const ISSUER = "https://login.example.test/";
const AUDIENCE = "roster-admin";
let t: TestApp;
let idp: TestIssuer;

beforeAll(async () => {
  idp = await startTestIssuer(ISSUER, AUDIENCE);
  t = await startTestApp({
    ADMIN_JWT_ISSUER: ISSUER,
    ADMIN_JWT_AUDIENCE: AUDIENCE,
    ADMIN_JWT_JWKS_URL: idp.jwksUrl,
    ADMIN_JWT_ROLE_CLAIM: "groups",
    ADMIN_JWT_ADMIN_ROLE: "Roster.Admin",
  });
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

/** A person created over SCIM, then given a role and scope in SQL (the admin routes that do this are tested elsewhere). */
async function person(role: string, scope: string[] = []): Promise<{ id: string; userName: string }> {
  const res = await t.scim.post("/Users", buildScimUser()).expect(201);
  await t.ds.query("UPDATE users SET system_role = $2, admin_scope = $3::uuid[] WHERE id = $1", [
    res.body.id,
    role,
    scope,
  ]);
  return { id: res.body.id, userName: res.body.userName };
}

// An unknown admin path answers 404 only once authentication and the role check have passed.
const PASSED = 404;

describe("admin door authentication (/admin/v1)", () => {
  it("asks for a bearer token with a problem+json 401", async () => {
    const res = await request(t.app).get("/admin/v1/nothing").expect(401);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({
      status: 401,
      code: "unauthenticated",
      type: expect.stringContaining("unauthenticated"),
    });
  });

  it("refuses a SCIM token (403 wrong_scope) and an unknown token (401 invalid_token)", async () => {
    expect((await t.adminAs(t.scimToken).get("/nothing").expect(403)).body.code).toBe("wrong_scope");
    expect((await t.adminAs("rst_not-a-token").get("/nothing").expect(401)).body.code).toBe("invalid_token");
  });

  it("lets an admin token through and keeps auditors read-only", async () => {
    await t.admin.post("/nothing", {}).expect(PASSED);
    const auditor = t.adminAs(await t.token("auditor"));
    await auditor.get("/nothing").expect(PASSED);
    expect((await auditor.post("/nothing", {}).expect(403)).body.code).toBe("read_only");
  });

  it("gives a person-bound token that person's current role: a change bites on the next request", async () => {
    const p = await person("member");
    const client = t.adminAs(await t.token("admin", p.userName));
    expect((await client.get("/nothing").expect(403)).body.code).toBe("not_an_admin");
    await t.ds.query("UPDATE users SET system_role = 'admin' WHERE id = $1", [p.id]);
    await client.post("/nothing", {}).expect(PASSED);
    await t.ds.query("UPDATE users SET system_role = 'auditor' WHERE id = $1", [p.id]);
    expect((await client.post("/nothing", {}).expect(403)).body.code).toBe("read_only");
    await t.ds.query("UPDATE users SET system_role = 'admin', active = false WHERE id = $1", [p.id]);
    expect((await client.get("/nothing").expect(403)).body.code).toBe("account_disabled");
  });

  it("never gives a person-bound auditor token more than read access", async () => {
    const p = await person("admin");
    const client = t.adminAs(await t.token("auditor", p.userName));
    expect((await client.post("/nothing", {}).expect(403)).body.code).toBe("read_only");
  });

  it("refuses to bind a SCIM token to a person", async () => {
    const p = await person("admin");
    await expect(t.token("scim", p.userName)).rejects.toMatchObject({ field: "user" });
  });
});

describe("admin JWTs from the company's OIDC provider", () => {
  it("uses the Roster person's role when the login claim matches one (email, any case)", async () => {
    const p = await person("auditor");
    const jwt = await idp.sign({ sub: "abc", email: p.userName.toUpperCase(), groups: ["Roster.Admin"] });
    const client = t.adminAs(jwt);
    await client.get("/nothing").expect(PASSED);
    expect((await client.post("/nothing", {}).expect(403)).body.code).toBe("read_only");
  });

  it("takes the role from the configured claim for someone Roster does not know", async () => {
    await t
      .adminAs(await idp.sign({ sub: "x1", email: "outsider@example.test", groups: ["Roster.Admin"] }))
      .post("/nothing", {})
      .expect(PASSED);
    await t
      .adminAs(await idp.sign({ sub: "x2", email: "reader@example.test", groups: "auditor" }))
      .get("/nothing")
      .expect(PASSED);
    const none = await t
      .adminAs(await idp.sign({ sub: "x3", email: "nobody@example.test", groups: ["Staff"] }))
      .get("/nothing")
      .expect(403);
    expect(none.body.code).toBe("not_an_admin");
  });

  it.each([
    ["a wrong audience", { aud: "other" }],
    ["a wrong issuer", { iss: "https://evil.example/" }],
    ["an expired token", { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ["a key not in the JWKS", { untrusted: true }],
  ])("refuses %s with 401", async (_case, opts) => {
    const jwt = await idp.sign({ sub: "x", email: "a@example.test", groups: ["Roster.Admin"] }, opts);
    expect((await t.adminAs(jwt).get("/nothing").expect(401)).body.code).toBe("invalid_token");
  });
});

describe("admin scope over the entities tree", () => {
  it("includes every sub-entity and nothing else; a scope of vanished entities reaches nothing", async () => {
    const [root] = await t.ds.query("INSERT INTO entities (name) VALUES ('Group') RETURNING id");
    const [mid] = await t.ds.query("INSERT INTO entities (name, parent_id) VALUES ('France', $1) RETURNING id", [
      root.id,
    ]);
    const [leaf] = await t.ds.query("INSERT INTO entities (name, parent_id) VALUES ('Lyon', $1) RETURNING id", [
      mid.id,
    ]);
    await t.ds.query("INSERT INTO entities (name, parent_id) VALUES ('Spain', $1)", [root.id]);
    const scoped = await person("admin", [mid.id]);
    expect((await t.services.access.rightsOf(scoped.id))?.entityScope?.sort()).toEqual([mid.id, leaf.id].sort());
    const everywhere = await person("admin");
    expect((await t.services.access.rightsOf(everywhere.id))?.entityScope).toBeNull();
    const stale = await person("admin", ["00000000-0000-4000-8000-000000000001"]);
    expect((await t.services.access.rightsOf(stale.id))?.entityScope).toEqual([]);
  });
});
