import { randomBytes } from "node:crypto";
import { type Request, Router } from "express";
import type { AccessService } from "../../domain/access/access.service";
import type { ConsoleSessionsService } from "../../domain/console/console-sessions.service";
import type { SecretBox } from "../../domain/secret-box";
import { IdpCallError } from "../../domain/sso/company-idp";
import { logger } from "../../log";
import { cookieOf } from "../auth/cookies";
import { consoleLanguage, rememberLanguage } from "./i18n";
import type { OwnClient } from "./own-client";
import { SESSION_COOKIE, consoleCtx, localsOf, safeReturnTo } from "./session";
import { T, failed, refused } from "./view/refusal";
import { BarePage } from "./view/layout";
import { sendView } from "./view/render";

const LOGIN_COOKIE = "roster_console_login";
const LOGIN_PURPOSE = "console.login";
const LOGIN_TTL_MS = 10 * 60_000;

interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface SignInDeps {
  own: OwnClient;
  box: SecretBox;
  sessions: ConsoleSessionsService;
  access: AccessService;
  /** Cookies marked Secure (the console is served over https). */
  secure: boolean;
}

/**
 * Signing in to the console through Roster's own OpenID Provider (authorization code, PKCE, state and nonce kept
 * sealed in a short-lived cookie), and the pages around it. The person signs in on the provider's page (password or
 * company SSO), comes back with a code, and gets a console session if they are an admin or an auditor.
 */
export function consoleSignInRoutes(d: SignInDeps): Router {
  const r = Router();
  const cookie = { path: "/console", httpOnly: true, sameSite: "lax" as const, secure: d.secure };

  r.get("/sign-in", async (req, res, next) => {
    try {
      const client = await d.own.get();
      const login: PendingLogin = {
        state: randomBytes(16).toString("base64url"),
        nonce: randomBytes(16).toString("base64url"),
        codeVerifier: randomBytes(32).toString("base64url"),
        returnTo: safeReturnTo((req.query as Record<string, unknown>).returnTo),
      };
      res.cookie(LOGIN_COOKIE, d.box.seal(JSON.stringify(login), LOGIN_PURPOSE), { ...cookie, maxAge: LOGIN_TTL_MS });
      const url = await d.own.rp.authorizationUrl(client, {
        ...login,
        redirectUri: d.own.redirectUri,
        scopes: ["openid"],
      });
      url.searchParams.set("ui_locales", consoleLanguage(req));
      res.redirect(303, url.href);
    } catch (e) {
      next(e);
    }
  });

  r.get("/callback", async (req, res, next) => {
    const lang = consoleLanguage(req);
    try {
      const login = pendingLogin(req, d.box);
      res.clearCookie(LOGIN_COOKIE, cookie);
      if (!login) return failed(res, lang);
      const client = await d.own.get();
      const callbackUrl = new URL(req.originalUrl, d.own.redirectUri);
      const claims = await d.own.rp.exchange(client, callbackUrl, { ...login, redirectUri: d.own.redirectUri });
      const rights = typeof claims.sub === "string" ? await d.access.rightsOf(claims.sub) : null;
      if (!rights?.enabled || (rights.role !== "admin" && rights.role !== "auditor"))
        return refused(res, lang, rights?.enabled === false ? "account_disabled" : "not_an_admin");
      const actor = { type: "user" as const, id: rights.userId, name: rights.userName };
      const started = await d.sessions.start(
        { actor, door: "console", requestId: String(req.id ?? "") || null },
        rights.userId,
      );
      res.cookie(SESSION_COOKIE, started.token, cookie);
      res.redirect(303, login.returnTo);
    } catch (e) {
      if (e instanceof IdpCallError) {
        logger.warn({ reason: e.message }, "console sign-in: the provider's answer was refused");
        return failed(res, lang);
      }
      next(e);
    }
  });

  r.get("/signed-out", (req, res) => {
    const t = T[consoleLanguage(req)];
    sendView(
      res,
      <BarePage lang={consoleLanguage(req)} title={t.outTitle}>
        <p>{t.out}</p>
        <p>
          <a class="button" href="/console/sign-in">
            {t.again}
          </a>
        </p>
      </BarePage>,
    );
  });

  r.get("/language", (req, res) => {
    const q = req.query as Record<string, unknown>;
    if (q.to === "en" || q.to === "fr") rememberLanguage(res, q.to, d.secure);
    res.redirect(303, safeReturnTo(q.back));
  });

  return r;
}

/** Signing out: the console session ends here, then the provider's session (its end-session page comes back here). */
export function consoleSignOutRoute(d: SignInDeps): Router {
  const r = Router();
  r.post("/sign-out", async (req, res, next) => {
    try {
      await d.sessions.end(consoleCtx(req, res), localsOf(res).sessionToken);
      res.clearCookie(SESSION_COOKIE, { path: "/console", httpOnly: true, sameSite: "lax", secure: d.secure });
      const client = await d.own.get();
      const end = client.serverMetadata.end_session_endpoint;
      if (typeof end !== "string") return res.redirect(303, "/console/signed-out");
      const url = new URL(end);
      url.searchParams.set("client_id", client.clientId);
      url.searchParams.set("post_logout_redirect_uri", d.own.signedOutUri);
      res.redirect(303, url.href);
    } catch (e) {
      next(e);
    }
  });
  return r;
}

function pendingLogin(req: Request, box: SecretBox): PendingLogin | null {
  const sealed = cookieOf(req, LOGIN_COOKIE);
  if (!sealed) return null;
  try {
    return JSON.parse(box.open(sealed, LOGIN_PURPOSE)) as PendingLogin;
  } catch {
    return null;
  }
}
