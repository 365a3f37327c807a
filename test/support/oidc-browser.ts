import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as Oidc from "openid-client" with { "resolution-mode": "import" };
import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { hashPassword } from "../../src/domain/passwords";
import { type TestApp, startTestApp } from "./app";
import { seedPerson } from "./people";

/** openid-client is ESM-only: Node >= 20.19 (and jest, which compiles it) load it with require(). */
export const oidc = require("openid-client") as typeof Oidc;
export type OidcConfiguration = Oidc.Configuration;

/**
 * A browser for the sign-in flows: a cookie jar (one origin: every cookie sent, the provider's cookies are its own),
 * redirects followed by hand so a test sees each step.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1));
    }
    return res;
  }

  get(path: string) {
    return this.request(path);
  }

  post(path: string, form: Record<string, string>) {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects from `res` until one leaves Roster (answered as its URL) or a page is answered. */
  async follow(res: Response): Promise<{ res: Response; left?: URL }> {
    let r = res;
    for (let i = 0; i < 10 && r.status >= 300 && r.status < 400; i++) {
      const to = new URL(r.headers.get("location")!, this.base);
      if (to.origin !== new URL(this.base).origin) return { res: r, left: to };
      r = await this.get(`${to.pathname}${to.search}`);
    }
    return { res: r };
  }
}

export const REDIRECT_URI = "http://127.0.0.1:9/callback";

/** The real app listening on loopback, its issuer the address it listens at (PUBLIC_BASE_URL). */
export async function startProviderApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; base: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestApp({ PUBLIC_BASE_URL: base, ALLOW_PRIVATE_TARGETS: "true", ...env });
  server.on("request", t.app);
  return { t, base, server };
}

/** A platform client (openid-client) of the provider at `base`. */
export async function platformClient(base: string, clientId: string, secret: string): Promise<Oidc.Configuration> {
  return oidc.discovery(new URL(base), clientId, undefined, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** Starts an authorization-code + PKCE request; answers the URL to open and what the callback needs. */
export async function authorizationRequest(config: Oidc.Configuration, scope = "openid email profile") {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  return { url, verifier, state };
}

export const PASSWORD = "correct horse battery staple 42";

/** A person with PASSWORD (a one-time one with mustChange), an email at corp.test and a userName. */
export async function seedPasswordPerson(ds: DataSource, opts: { mustChange?: boolean } = {}) {
  const p = await seedPerson(ds, { userName: `ada.${randomBytes(4).toString("hex")}`, emails: [] });
  const email = `${p.userName}@corp.test`;
  await ds.query("UPDATE users SET password_hash = $2, password_must_change = $3, emails = $4::jsonb WHERE id = $1", [
    p.id,
    await hashPassword(PASSWORD),
    opts.mustChange ?? false,
    JSON.stringify([{ value: email, primary: true }]),
  ]);
  return { ...p, email };
}

/** Opens a new authorization request in `browser`; answers where it ended (a page, or the platform) and the request. */
export async function authorize(browser: Browser, config: Oidc.Configuration, scope?: string) {
  const req = await authorizationRequest(config, scope);
  const { res, left } = await browser.follow(await browser.get(`${req.url.pathname}${req.url.search}`));
  const page = left ? "" : await res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, "&");
  return { req, res, left, page, action };
}

/** The whole password sign-in in a fresh browser (or `browser`): answers where it ended. */
export async function passwordSignIn(
  config: Oidc.Configuration,
  base: string,
  login: string,
  password = PASSWORD,
  opts: { scope?: string; browser?: Browser } = {},
) {
  const browser = opts.browser ?? new Browser(base);
  const start = await authorize(browser, config, opts.scope);
  if (!start.action) throw new Error(`no sign-in form: ${start.res.status} ${start.page.slice(0, 300)}`);
  const posted = await browser.post(start.action, { login, password });
  const { res, left } = await browser.follow(posted);
  return { browser, req: start.req, res, left, posted };
}

/** The code exchanged for tokens, as the platform does at its callback. */
export function exchange(config: Oidc.Configuration, left: URL, req: { verifier: string; state: string }) {
  return oidc.authorizationCodeGrant(config, left, { pkceCodeVerifier: req.verifier, expectedState: req.state });
}
