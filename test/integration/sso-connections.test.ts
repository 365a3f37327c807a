import { type SsoHarness, startSsoHarness } from "../support/sso-harness";
import { type TestApp, startTestApp } from "../support/app";

let h: SsoHarness;
beforeAll(async () => {
  h = await startSsoHarness();
});
afterAll(() => h.close());

const valid = () => ({
  name: "Corp Entra",
  issuer: h.idp.issuer,
  clientId: h.idp.clientId,
  clientSecret: h.idp.clientSecret,
  linkClaim: "oid",
  jit: { enabled: true, allowedDomains: ["corp.example"], requiredClaims: { dept: "sales" }, defaultRole: "member" },
});

describe("/admin/v1/sso-connections", () => {
  it("POST discovers the issuer and answers 201 with its id and the redirect URI; the secret never comes back", async () => {
    const res = await h.t.admin.post("/sso-connections", valid()).expect(201);
    expect(res.body).toMatchObject({
      name: "Corp Entra",
      issuer: h.idp.issuer,
      clientId: h.idp.clientId,
      scopes: ["openid", "email", "profile"],
      linkClaim: "oid",
      trustEmail: false,
      jit: {
        enabled: true,
        allowedDomains: ["corp.example"],
        requiredClaims: { dept: "sales" },
        defaultRole: "member",
      },
    });
    expect(res.body.redirectUri).toBe(`${h.base}/auth/sso/${res.body.id}/callback`);
    expect(JSON.stringify(res.body)).not.toContain(h.idp.clientSecret);
    const [row] = await h.t.ds.query(
      "SELECT client_secret_sealed, server_metadata FROM sso_connections WHERE id = $1",
      [res.body.id],
    );
    expect(row.client_secret_sealed).toMatch(/^v1\./);
    expect(row.client_secret_sealed).not.toContain(h.idp.clientSecret);
    expect(row.server_metadata.token_endpoint).toBe(`${h.idp.issuer}/token`);

    const list = await h.t.admin.get("/sso-connections").expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(h.idp.clientSecret);
    const one = await h.t.admin.get(`/sso-connections/${res.body.id}`).expect(200);
    expect(one.body.redirectUri).toBe(res.body.redirectUri);
    const [audit] = await h.t.ds.query(
      "SELECT door, changes FROM audit_events WHERE action = 'sso_connection.created' AND target_id = $1",
      [res.body.id],
    );
    expect(audit.door).toBe("admin");
    expect(JSON.stringify(audit.changes)).not.toContain(h.idp.clientSecret);
  });

  it("PUT replaces (keeping the secret when none is given), DELETE removes; auditors read but never write", async () => {
    const { body } = await h.t.admin.post("/sso-connections", { ...valid(), name: "To change" }).expect(201);
    const [before] = await h.t.ds.query("SELECT client_secret_sealed FROM sso_connections WHERE id = $1", [body.id]);
    const { clientSecret: _, ...noSecret } = valid();
    const put = await h.t.admin
      .put(`/sso-connections/${body.id}`, { ...noSecret, name: "Changed", trustEmail: true, requiredGroups: ["staff"] })
      .expect(200);
    expect(put.body).toMatchObject({ name: "Changed", trustEmail: true, requiredGroups: ["staff"], version: 2 });
    const [after] = await h.t.ds.query("SELECT client_secret_sealed FROM sso_connections WHERE id = $1", [body.id]);
    expect(after.client_secret_sealed).toBe(before.client_secret_sealed);

    const auditor = h.t.adminAs(await h.t.token("auditor"));
    await auditor.get(`/sso-connections/${body.id}`).expect(200);
    await auditor.delete(`/sso-connections/${body.id}`).expect(403);
    await h.t.admin.delete(`/sso-connections/${body.id}`).expect(204);
    await h.t.admin.get(`/sso-connections/${body.id}`).expect(404);
    await h.t.admin.delete(`/sso-connections/${body.id}`).expect(404);
  });

  it("refuses bad input with a 400 naming the field, and writes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ jit: undefined }, "jit"],
      [{ jit: { enabled: true, defaultRole: "owner" } }, "jit.defaultRole"],
      [{ jit: { enabled: true, allowedDomains: ["not a domain"] } }, "jit.allowedDomains[0]"],
      [{ jit: { enabled: true, defaultLanguage: "french!" } }, "jit.defaultLanguage"],
      [{ jit: { enabled: true, defaultEntityId: "00000000-0000-4000-8000-000000000000" } }, "jit.defaultEntityId"],
      [{ issuer: "not a url" }, "issuer"],
      [{ issuer: `${h.idp.issuer}/nothing-here` }, "issuer"],
      [{ scopes: ["openid", "bad scope"] }, "scopes[1]"],
      [{ linkClaim: "no spaces please" }, "linkClaim"],
      [{ clientSecret: undefined }, "clientSecret"],
      [{ name: " " }, "name"],
      [{ extra: true }, "extra"],
    ];
    for (const [change, field] of cases) {
      const res = await h.t.admin.post("/sso-connections", { ...valid(), ...change });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(JSON.stringify(res.body)).toContain(field.split("[")[0]);
    }
    await h.t.admin.post("/sso-connections", { ...valid(), name: "Twice" }).expect(201);
    const twice = await h.t.admin.post("/sso-connections", { ...valid(), name: "twice" }).expect(409);
    expect(twice.body.field ?? twice.body.detail).toMatch(/name/);
    const [{ n }] = await h.t.ds.query("SELECT count(*)::int AS n FROM sso_connections WHERE lower(name) = 'twice'");
    expect(n).toBe(1);
  });
});

describe("an issuer Roster may not call", () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ ALLOW_PRIVATE_TARGETS: "false" });
  });
  afterAll(() => strict.close());

  it("is refused clearly without ALLOW_PRIVATE_TARGETS: http and loopback issuers, nothing written", async () => {
    for (const issuer of [h.idp.issuer, "https://127.0.0.1:9/", "https://10.0.0.8/tenant"]) {
      const res = await strict.admin.post("/sso-connections", { ...valid(), issuer }).expect(400);
      expect(res.body.field).toBe("issuer");
      expect(res.body.detail).toMatch(/ALLOW_PRIVATE_TARGETS/);
    }
    const [{ n }] = await strict.ds.query("SELECT count(*)::int AS n FROM sso_connections");
    expect(n).toBe(0);
  });
});
