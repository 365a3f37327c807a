import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as Jose from "jose" with { "resolution-mode": "import" };
import { systemActor } from "../../src/domain/context";
import type { TestApp } from "../support/app";
import {
  Browser,
  type OidcConfiguration,
  REDIRECT_URI,
  authorize,
  exchange,
  oidc,
  passwordSignIn,
  platformClient,
  seedPasswordPerson,
  startProviderApp,
} from "../support/oidc-browser";
import { eventually } from "../support/people";

const jose = require("jose") as typeof Jose;

let t: TestApp;
let base: string;
let server: Server;
let receiver: Server;
let config: OidcConfiguration;
let clientId: string;
const logoutTokens: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      logoutTokens.push(new URLSearchParams(body).get("logout_token") ?? "");
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  ({ t, base, server } = await startProviderApp({ OIDC_KEY_REFRESH_SECONDS: "1" }));
  const c = await t.services.oidcClients.create(
    { actor: systemActor, door: "cli", requestId: null },
    {
      name: "platform",
      redirectUris: [REDIRECT_URI],
      backchannelLogoutUri: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel`,
    },
  );
  clientId = c.clientId;
  config = await platformClient(base, c.clientId, c.clientSecret);
});
afterAll(async () => {
  server.close();
  receiver.close();
  await t.close();
});

const jwks = async () =>
  jose.createLocalJWKSet((await (await fetch(`${base}/oidc/jwks`)).json()) as Jose.JSONWebKeySet);
const kidOf = (jwt: string) => jose.decodeProtectedHeader(jwt).kid;

describe("sessions and tokens of the OpenID Provider", () => {
  it("offline_access yields a refresh token that refreshes", async () => {
    const p = await seedPasswordPerson(t.ds);
    const { req, left } = await passwordSignIn(config, base, p.userName, undefined, {
      scope: "openid email offline_access",
    });
    const tokens = await exchange(config, left!, req);
    expect(tokens.refresh_token).toBeTruthy();
    const again = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(again.access_token).toBeTruthy();
    expect(again.claims()?.sub).toBe(p.id);
    // without offline_access: no refresh token
    const plain = await passwordSignIn(config, base, p.userName);
    expect((await exchange(config, plain.left!, plain.req)).refresh_token).toBeUndefined();
  });

  it("a wrong password and an unknown login get the same page", async () => {
    const p = await seedPasswordPerson(t.ds);
    const wrong = await passwordSignIn(config, base, p.userName, "not the password at all");
    const unknown = await passwordSignIn(config, base, "nobody.at.all@corp.test", "not the password at all");
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    const strip = (html: string) => html.replace(/\/auth\/sign-in\/[\w-]+/g, "").replace(/value="[^"]*"/g, "");
    expect(strip(await wrong.res.text())).toBe(strip(await unknown.res.text()));
    expect(wrong.left).toBeUndefined();
  });

  it("a one-time password is changed before the sign-in finishes", async () => {
    const p = await seedPasswordPerson(t.ds, { mustChange: true });
    const first = await passwordSignIn(config, base, p.email);
    expect(first.res.status).toBe(200);
    const page = await first.res.text();
    expect(page).toContain('name="newPassword"');
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1].replace(/&amp;/g, "&");
    const mismatch = await first.browser.post(action, { newPassword: "a", confirmPassword: "b" });
    expect(mismatch.status).toBe(400);
    const mine = "plum orchard quietly 77 vanishes";
    const { left } = await first.browser.follow(
      await first.browser.post(action, { newPassword: mine, confirmPassword: mine }),
    );
    expect(left?.href.startsWith(REDIRECT_URI)).toBe(true);
    expect((await exchange(config, left!, first.req)).claims()?.sub).toBe(p.id);
    const [row] = await t.ds.query("SELECT password_must_change, enrolled_at FROM users WHERE id = $1", [p.id]);
    expect(row).toMatchObject({ password_must_change: false });
    expect(row.enrolled_at).not.toBeNull();
    expect((await passwordSignIn(config, base, p.userName, mine)).left).toBeDefined();
  });

  it("a deactivated person is refused at every step, their state ends, and the client is told", async () => {
    const p = await seedPasswordPerson(t.ds);
    const { browser, req, left } = await passwordSignIn(config, base, p.userName, undefined, {
      scope: "openid offline_access",
    });
    const tokens = await exchange(config, left!, req);
    // still signed in: a new request goes straight back to the platform
    expect((await authorize(browser, config)).left).toBeDefined();

    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    // at once, before any worker ran: userinfo, refresh, the session and a new password sign-in are refused
    await expect(oidc.fetchUserInfo(config, tokens.access_token, p.id)).rejects.toThrow();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const again = await authorize(browser, config);
    expect(again.left).toBeUndefined();
    expect(again.page).toContain('name="password"');
    const refused = await browser.follow(
      await browser.post(again.action!, { login: p.userName, password: "correct horse battery staple 42" }),
    );
    expect(refused.res.status).toBe(403);
    expect(await refused.res.text()).toContain("user_deactivated");

    // the leave's job: every row of the person's state deleted, a logout token sent
    const worker = await t.startWorker();
    try {
      await eventually(async () => logoutTokens.length > 0, 20_000, "a back-channel logout");
      const [{ n }] = await eventually(
        async () => {
          const rows = await t.ds.query("SELECT count(*)::int AS n FROM oidc_payloads WHERE account_id = $1", [p.id]);
          return rows[0].n === 0 ? rows : null;
        },
        20_000,
        "the person's provider state deleted",
      );
      expect(n).toBe(0);
    } finally {
      await worker.stop();
    }
    const { payload, protectedHeader } = await jose.jwtVerify(logoutTokens[0], await jwks(), {
      issuer: base,
      audience: clientId,
    });
    expect(protectedHeader.typ).toBe("logout+jwt");
    expect(payload.sub).toBe(p.id);
    expect(payload.events).toEqual({ "http://schemas.openid.net/event/backchannel-logout": {} });
    expect(typeof payload.sid).toBe("string");
    expect(payload.nonce).toBeUndefined();

    // reactivation does not revive the old session nor the refresh token
    await t.admin.post(`/users/${p.id}/activate`).expect(200);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow();
    expect((await authorize(browser, config)).left).toBeUndefined();
  });

  it("a code issued before the deactivation is refused at the token endpoint", async () => {
    const p = await seedPasswordPerson(t.ds);
    const { req, left } = await passwordSignIn(config, base, p.userName);
    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    await expect(exchange(config, left!, req)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("two replicas starting at once make one signing key", async () => {
    await t.ds.query("DELETE FROM oidc_keys");
    const ctx = { actor: systemActor, door: "system" as const, requestId: null };
    const [a, b] = await Promise.all([t.services.oidcKeys.keys(ctx), t.services.oidcKeys.keys(ctx)]);
    expect(a[0].kid).toBe(b[0].kid);
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM oidc_keys WHERE retired_at IS NULL");
    expect(n).toBe(1);
  });

  it("key rotation: new tokens use the new key, tokens signed before still verify", async () => {
    // The test before replaced the keys under the running provider: let it pick up the current one first.
    await new Promise((r) => setTimeout(r, 1100)); // OIDC_KEY_REFRESH_SECONDS=1
    const p = await seedPasswordPerson(t.ds);
    const before = await passwordSignIn(config, base, p.userName);
    const oldToken = (await exchange(config, before.left!, before.req)).id_token!;
    const { kid, retired } = await t.services.oidcKeys.rotate({ actor: systemActor, door: "cli", requestId: null });
    expect(retired).toBe(kidOf(oldToken));
    await new Promise((r) => setTimeout(r, 1100)); // OIDC_KEY_REFRESH_SECONDS=1
    const after = await passwordSignIn(config, base, p.userName);
    const newToken = (await exchange(config, after.left!, after.req)).id_token!;
    expect(kidOf(newToken)).toBe(kid);
    const keys = await jwks();
    await expect(jose.jwtVerify(oldToken, keys, { issuer: base })).resolves.toBeTruthy();
    await expect(jose.jwtVerify(newToken, keys, { issuer: base })).resolves.toBeTruthy();
  });
});
