import type { Server } from "node:http";
import { systemActor } from "../../src/domain/context";
import type { TestApp } from "../support/app";
import {
  Browser,
  type OidcConfiguration,
  REDIRECT_URI,
  authorize,
  passwordSignIn,
  platformClient,
  seedPasswordPerson,
  startProviderApp,
} from "../support/oidc-browser";

/** The sign-in page under SSO_ONLY, in French, rate limited, and its attempts in the sign-in events. */
describe.each([
  ["password platform", "false"],
  ["SSO-only platform", "true"],
])("the sign-in page on a %s", (_what, ssoOnly) => {
  let t: TestApp;
  let base: string;
  let server: Server;
  let config: OidcConfiguration;

  beforeAll(async () => {
    ({ t, base, server } = await startProviderApp({
      SSO_ONLY: ssoOnly,
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: "3",
    }));
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

  if (ssoOnly === "true") {
    it("has no password form, and a password post is refused sso_only on the error page (audited)", async () => {
      const p = await seedPasswordPerson(t.ds);
      const browser = new Browser(base);
      const { page, res } = await authorize(browser, config);
      expect(page).not.toContain('name="password"');
      const uid = new URL(res.url).pathname.split("/").pop();
      const refused = await browser.post(`/auth/sign-in/${uid}`, { login: p.userName, password: "x" });
      expect(refused.status).toBe(403);
      const html = await refused.text();
      expect(html).toContain('<code id="access-error-code">sso_only</code>');
      const reference = /id="access-error-reference">([^<]+)</.exec(html)![1];
      const events = await t.admin.get(`/sign-in-events?email=${p.userName}&code=sso_only`).expect(200);
      expect(events.body.items[0]).toMatchObject({ outcome: "refused", code: "sso_only", reference });
    });
    return;
  }

  it("speaks French from Accept-Language", async () => {
    const browser = new Browser(base);
    const req = await authorize(browser, config);
    const fr = await browser.request(new URL(req.res.url).pathname, { headers: { "accept-language": "fr" } });
    const html = await fr.text();
    expect(html).toMatch(/<html lang="fr">/);
    expect(html).toContain("Mot de passe");
    expect(html).toContain('<label for="login">E-mail ou identifiant</label>');
  });

  it("a success and a failure are sign-in events; failures per account are limited without telling who exists", async () => {
    const p = await seedPasswordPerson(t.ds);
    expect((await passwordSignIn(config, base, p.email)).left).toBeDefined();
    const ok = await t.admin.get(`/sign-in-events?email=${p.email}`).expect(200);
    expect(ok.body.items[0]).toMatchObject({ outcome: "succeeded", code: null, method: "password", login: p.email });

    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await passwordSignIn(config, base, p.userName, "wrong password, again")).posted.status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++)
      unknown.push((await passwordSignIn(config, base, "no.such.person@corp.test", "wrong")).posted.status);
    expect(unknown).toEqual([401, 401, 401, 429]);
    // the right password is refused too while the account's budget is spent
    expect((await passwordSignIn(config, base, p.email)).posted.status).toBe(429);
    const failed = await t.admin.get(`/sign-in-events?email=${p.userName}`).expect(200);
    expect(failed.body.items.filter((e: { outcome: string }) => e.outcome === "refused")).toHaveLength(3);
  });
});
