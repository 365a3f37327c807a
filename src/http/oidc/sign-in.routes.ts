import { randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Request, type Response, Router } from "express";
import type { DataSource } from "typeorm";
import type { Services } from "../../composition";
import type { Config } from "../../config/env";
import { AccessRefusedError, type AccessErrorCode } from "../../domain/auth/access-errors";
import { InvalidCredentialsError, WeakPasswordError } from "../../domain/auth/auth.errors";
import type { Language } from "../../domain/language";
import { logger } from "../../log";
import { sendAccessError } from "../auth/access-error-page";
import { toAuthProblem } from "../auth/auth-problem";
import type { CompleteSignIn } from "../auth/complete-sign-in";
import { pageLanguage, sendPage } from "../auth/html-page";
import { accountFailureLimit, authRateLimit, type OnLimited } from "../auth/rate-limit";
import { ctxOf } from "../middleware/request-context";
import type { ProviderHolder } from "./provider-holder";
import { sendChangePasswordPage, sendSignInPage, signInText } from "./sign-in-page";

export interface SignInDeps {
  cfg: Config;
  ds: DataSource;
  services: Services;
  holder: ProviderHolder;
  complete: CompleteSignIn;
}

/** What the interaction keeps between the password and the change of a one-time password (never the password). */
interface PendingChange {
  login: string;
  fingerprint: string;
  userId: string;
}

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v : "";
};

/**
 * The OpenID Provider's sign-in door, under /auth (server-rendered, EN/FR, no script): the interaction page (password
 * form, SSO buttons, sign-up), the password post, and the change of a one-time password before the sign-in finishes.
 * First-party consent is granted here without a page. Password posts spend the auth door's budgets: per address
 * (`auth-login`, shared with POST /auth/login) and failed attempts per account (`auth-account`).
 */
export function signInRouter(d: SignInDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 10 });
  const lang = (req: Request, uiLocales?: unknown) =>
    pageLanguage(req, d.cfg.DEFAULT_LANGUAGE, typeof uiLocales === "string" ? uiLocales : null);
  const limited: OnLimited = (req, res, message) =>
    sendPage(res, {
      language: lang(req),
      title: signInText(lang(req), "title"),
      status: 429,
      body: `<p class="error" role="alert">${message}</p>`,
    });
  const addressLimit = authRateLimit(d.ds, "auth-login", d.cfg.AUTH_RATE_LIMIT_PER_MINUTE, limited);
  const accountLimit = accountFailureLimit(
    d.ds,
    d.cfg.AUTH_ACCOUNT_FAILURES_PER_15_MINUTES,
    (login) => d.services.credentials.attemptsKeyOf(login),
    limited,
  );

  const refuse = async (
    req: Request,
    res: Response,
    code: AccessErrorCode,
    who: { userId?: string | null; login?: string | null; email?: string | null } = {},
  ) => {
    const reference = randomUUID();
    await d.services.signIns.record(ctxOf(req, res, "auth"), {
      userId: who.userId ?? null,
      login: who.login ?? null,
      email: who.email ?? null,
      method: "password",
      connectionId: null,
      code,
      reference,
      outcome: "refused",
    });
    sendAccessError(req, res, new AccessRefusedError(code), reference);
  };

  const showSignIn = async (
    req: Request,
    res: Response,
    uid: string,
    language: Language,
    extra: { login?: string; problems?: string[]; status?: number } = {},
  ) =>
    sendSignInPage(res, {
      uid,
      language,
      passwordAllowed: !d.cfg.SSO_ONLY,
      ssoButtons: await d.services.signInPageOptions.ssoButtons(language),
      signUp: await d.services.signInPageOptions.signUpEnabled(),
      ...extra,
    });

  r.get("/sign-in/:uid", async (req, res) => {
    const uid = String(req.params.uid);
    const details = await d.holder.details(req, res);
    if (details?.uid !== uid) return refuse(req, res, "login_expired");
    const language = lang(req, details.params.ui_locales);
    if (details.prompt.name === "consent") {
      const accountId = details.session?.accountId;
      const person = accountId ? await d.services.users.get(accountId).catch(() => null) : null;
      if (!person?.active) return refuse(req, res, "user_deactivated", { userId: accountId });
      const provider = await d.holder.get();
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId: person.id, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if ((details.result as { pendingChange?: PendingChange } | undefined)?.pendingChange)
      return sendChangePasswordPage(res, { uid, language });
    return showSignIn(req, res, uid, language);
  });

  r.post("/sign-in/:uid", addressLimit, form, accountLimit, async (req, res) => {
    const uid = String(req.params.uid);
    const login = field(req, "login").trim().slice(0, 320);
    const password = field(req, "password").slice(0, 1024);
    const details = await d.holder.details(req, res);
    if (details?.uid !== uid) return refuse(req, res, "login_expired", { login });
    const language = lang(req, details.params.ui_locales);
    if (d.cfg.SSO_ONLY) return refuse(req, res, "sso_only", { login });
    try {
      const who = await d.services.passwordSignIn.identify(login, password);
      if (who.mustChange) {
        const pendingChange: PendingChange = { login, fingerprint: who.fingerprint, userId: who.id };
        await (await d.holder.get()).interactionResult(req, res, { pendingChange }, { mergeWithLastSubmission: false });
        return sendChangePasswordPage(res, { uid, language });
      }
      return d.complete(req, res, uid, { userId: who.id, method: "password", login, email: who.email });
    } catch (e) {
      if (e instanceof AccessRefusedError) return refuse(req, res, e.code, { login });
      if (!(e instanceof InvalidCredentialsError)) throw e;
      // a wrong password and an unknown login: the same answer after the same work (one hash, one audit record)
      await d.services.signIns.record(ctxOf(req, res, "auth"), {
        userId: null,
        login,
        email: null,
        method: "password",
        connectionId: null,
        code: null,
        reference: randomUUID(),
        outcome: "refused",
      });
      return showSignIn(req, res, uid, language, { login, problems: [signInText(language, "wrong")], status: 401 });
    }
  });

  r.post("/sign-in/:uid/password", addressLimit, form, async (req, res) => {
    const uid = String(req.params.uid);
    const details = await d.holder.details(req, res);
    const pending = (details?.result as { pendingChange?: PendingChange } | undefined)?.pendingChange;
    if (details?.uid !== uid || !pending) return refuse(req, res, "login_expired");
    const language = lang(req, details.params.ui_locales);
    const next = field(req, "newPassword").slice(0, 1024);
    if (next !== field(req, "confirmPassword"))
      return sendChangePasswordPage(res, { uid, language, problems: [signInText(language, "differ")], status: 400 });
    try {
      await d.services.passwordSignIn.changeOneTime(ctxOf(req, res, "auth"), pending.login, pending.fingerprint, next);
    } catch (e) {
      if (e instanceof WeakPasswordError)
        return sendChangePasswordPage(res, { uid, language, problems: e.violations.map((v) => v.detail), status: 400 });
      if (e instanceof AccessRefusedError)
        return refuse(req, res, e.code, { login: pending.login, userId: pending.userId });
      throw e;
    }
    return d.complete(req, res, uid, { userId: pending.userId, method: "password", login: pending.login });
  });

  r.use(signInErrorPage(d.cfg.DEFAULT_LANGUAGE));
  return r;
}

/** Anything else that fails on these pages: a page with the status the auth door would answer, never a stack trace. */
function signInErrorPage(fallback: Language): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const p = toAuthProblem(err);
    if (p.status >= 500 && p.status !== 503) (req.log ?? logger).error({ err }, "sign-in page failed");
    if (res.headersSent) return void res.end();
    if (p.status === 503) res.set("Retry-After", "5");
    const language = pageLanguage(req, fallback);
    sendPage(res, {
      language,
      title: signInText(language, "title"),
      status: p.status,
      body: `<p class="error" role="alert">${p.status >= 500 ? "Service unavailable, try again." : p.detail}</p>`,
    });
  };
}
