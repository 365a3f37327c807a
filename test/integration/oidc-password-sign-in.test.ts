import type { Server } from "node:http";
import { hashPassword } from "../../src/domain/passwords";
import { systemActor } from "../../src/domain/context";
import type { TestApp } from "../support/app";
import {
  Browser,
  type OidcConfiguration,
  REDIRECT_URI,
  authorizationRequest,
  oidc,
  platformClient,
  startProviderApp,
} from "../support/oidc-browser";
import { seedPerson } from "../support/people";

let t: TestApp;
let base: string;
let server: Server;
let config: OidcConfiguration;
const PASSWORD = "correct horse battery staple 42";

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  const c = await t.services.oidcClients.create(
    { actor: systemActor, door: "cli", requestId: null },
    { name: "platform", redirectUris: [REDIRECT_URI] },
  );
  config = await platformClient(base, c.clientId, c.clientSecret);
});
afterAll(async () => {
  server.close();
  await t.close();
});

async function person(opts: { mustChange?: boolean } = {}) {
  const p = await seedPerson(t.ds, { userName: `ada.${Math.random().toString(36).slice(2, 8)}`, emails: [] });
  const email = `${p.userName}@corp.test`;
  await t.ds.query(`UPDATE users SET password_hash = $2, password_must_change = $3, emails = $4::jsonb WHERE id = $1`, [
    p.id,
    await hashPassword(PASSWORD),
    opts.mustChange ?? false,
    JSON.stringify([{ value: email, primary: true }]),
  ]);
  return { ...p, email };
}

/** Opens the authorization URL and answers the sign-in page's path. */
async function signInPage(browser: Browser, scope?: string) {
  const req = await authorizationRequest(config, scope);
  const { res } = await browser.follow(await browser.get(`${req.url.pathname}${req.url.search}`));
  expect(res.status).toBe(200);
  const page = await res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, "&");
  return { req, page, action: action! };
}

async function signIn(login: string, password = PASSWORD, scope?: string) {
  const browser = new Browser(base);
  const { req, action } = await signInPage(browser, scope);
  const { res, left } = await browser.follow(await browser.post(action, { login, password }));
  return { browser, req, res, left };
}

describe("password sign-in through the OpenID Provider", () => {
  it("discovery names the issuer (PUBLIC_BASE_URL) and its jwks_uri", async () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(base);
    expect(meta.jwks_uri).toBe(`${base}/oidc/jwks`);
  });

  it.each(["email", "userName"] as const)("by %s: the platform gets an ID token for the person", async (by) => {
    const p = await person();
    const { req, left } = await signIn(by === "email" ? p.email.toUpperCase() : p.userName);
    expect(left?.href.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, left!, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
    });
    expect(tokens.claims()?.sub).toBe(p.id);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, p.id);
    expect(info).toMatchObject({ sub: p.id, preferred_username: p.userName, email: p.email });
    const [row] = await t.ds.query("SELECT last_login_at, enrolled_at FROM users WHERE id = $1", [p.id]);
    expect(row.last_login_at).not.toBeNull();
    expect(row.enrolled_at).not.toBeNull();
  });

  it("the page is EN or FR, accessible, without script", async () => {
    const browser = new Browser(base);
    const { page } = await signInPage(browser);
    expect(page).toMatch(/<html lang="en">/);
    expect(page).toMatch(/<label for="login">/);
    expect(page).toMatch(/name="login"/);
    expect(page).toMatch(/name="password"/);
    expect(page).not.toMatch(/<script/);
  });
});
