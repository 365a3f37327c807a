import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { systemActor } from "../../src/domain/context";
import type { TestApp } from "../support/app";
import { Browser } from "../support/browser";
import { type CompanyIdp, startCompanyIdp } from "../support/company-idp";
import {
  type OidcConfiguration,
  REDIRECT_URI,
  authorizationRequest,
  oidc,
  platformClient,
  startProviderApp,
} from "../support/oidc-browser";

let t: TestApp;
let base: string;
let server: Server;
let idp: CompanyIdp;
let platform: OidcConfiguration;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  idp = await startCompanyIdp();
  const c = await t.services.oidcClients.create(
    { actor: systemActor, door: "cli", requestId: null },
    { name: "platform", redirectUris: [REDIRECT_URI] },
  );
  platform = await platformClient(base, c.clientId, c.clientSecret);
});
afterAll(async () => {
  await idp.close();
  server.closeAllConnections();
  server.close();
  await t.close();
});

async function connect(body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const name = `Corp ${randomUUID().slice(0, 6)}`;
  const res = await t.admin
    .post("/sso-connections", {
      name,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      ...body,
    })
    .expect(201);
  idp.allowRedirect(res.body.redirectUri);
  return { id: res.body.id, name };
}

/**
 * The whole round trip: the platform (openid-client) asks Roster's provider to sign someone in; the browser presses the
 * connection's button on Roster's sign-in page, signs in at the company IdP, comes back to Roster, then to the
 * platform with a code the platform exchanges for Roster's ID token.
 */
async function platformSignIn(
  connection: { id: string; name: string },
  who: { sub: string } & Record<string, unknown>,
) {
  idp.signInAs(who);
  const browser = new Browser();
  const req = await authorizationRequest(platform);
  const page = await browser.follow(req.url.href, 20, REDIRECT_URI);
  expect(page.status).toBe(200);
  const button = [...page.body.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1].replaceAll("&amp;", "&"))
    .find((href) => href.includes(connection.id));
  expect(button).toBeDefined();
  expect(page.body).toContain(connection.name);
  const end = await browser.follow(new URL(button!, base).href, 30, REDIRECT_URI);
  if (!end.url.startsWith(REDIRECT_URI))
    return { code: /id="access-error-code">([a-z_]+)</.exec(end.body)?.[1], sub: null };
  const tokens = await oidc.authorizationCodeGrant(platform, new URL(end.url), {
    pkceCodeVerifier: req.verifier,
    expectedState: req.state,
  });
  return { code: null, sub: tokens.claims()?.sub ?? null };
}

describe("end to end: platform -> Roster's provider -> SSO button -> company IdP -> back -> ID token", () => {
  it("a SCIM-provisioned person, linked by the link claim, gets an ID token for their own account", async () => {
    const oid = randomUUID();
    const scim = await t.scim
      .post("/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `e2e.${oid.slice(0, 6)}@corp.example`,
        externalId: oid,
        emails: [{ value: `e2e.${oid.slice(0, 6)}@corp.example`, primary: true }],
      })
      .expect(201);
    const conn = await connect({ linkClaim: "oid", jit: { enabled: false } });
    const result = await platformSignIn(conn, {
      sub: `s-${oid}`,
      oid,
      email: "other@corp.example",
      email_verified: false,
    });
    expect(result).toEqual({ code: null, sub: scim.body.id });
    const [u] = await t.ds.query("SELECT last_login_at FROM users WHERE id = $1", [scim.body.id]);
    expect(u.last_login_at).not.toBeNull();
  });

  it("a person created just in time gets an ID token; a refused one sees the access error with its code", async () => {
    const conn = await connect({ jit: { enabled: true, allowedDomains: ["corp.example"] } });
    const email = `jit.${randomUUID().slice(0, 6)}@corp.example`;
    const ok = await platformSignIn(conn, { sub: `s-${randomUUID()}`, email, email_verified: true });
    const [u] = await t.ds.query("SELECT id, source FROM users WHERE user_name = $1", [email]);
    expect(u.source).toBe("jit");
    expect(ok).toEqual({ code: null, sub: u.id });

    const refused = await platformSignIn(conn, {
      sub: `s-${randomUUID()}`,
      email: "x@elsewhere.example",
      email_verified: true,
    });
    expect(refused).toEqual({ code: "domain_not_allowed", sub: null });
  });
});

describe("the sign-in page's options", () => {
  it("offers 'Create an account' only while self sign-up is on, and the form it leads to", async () => {
    const page = async () => {
      const browser = new Browser();
      const req = await authorizationRequest(platform);
      return { browser, res: await browser.follow(req.url.href, 20, REDIRECT_URI) };
    };
    expect((await page()).res.body).not.toContain("/auth/sign-up");
    await t.admin.put("/settings/sign-up", { enabled: true }).expect(200);
    const { browser, res } = await page();
    const href = /href="(\/auth\/sign-up\?[^"]+)"/.exec(res.body)?.[1]?.replaceAll("&amp;", "&");
    expect(href).toContain("interaction=");
    const form = await browser.follow(new URL(href!, base).href);
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="givenName"');
    await t.admin.put("/settings/sign-up", { enabled: false }).expect(200);
  });
});
