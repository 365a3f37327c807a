import { randomUUID } from "node:crypto";
import { type Request, type Response, Router } from "express";
import type { SignInRecorder } from "../../domain/users/sign-ins";
import { SsoRefusedError } from "../../domain/sso/sso-refusal";
import type { SsoSignInService } from "../../domain/sso/sso-sign-in.service";
import { ctxOf } from "../middleware/request-context";
import { sendAccessError } from "./access-error-page";
import type { CompleteSignIn } from "./complete-sign-in";
import { cookieOf } from "./cookies";

export interface SsoRoutesDeps {
  sso: SsoSignInService;
  signIns: SignInRecorder;
  complete: CompleteSignIn;
  /** How long the state cookie lives: as long as the state kept server-side. */
  stateTtlSeconds: number;
  /** Whether Roster is reached over https (PUBLIC_BASE_URL): the cookie is then Secure. */
  secureCookies: boolean;
}

const STATE_COOKIE = "roster_sso_state";
const INTERACTION = /^[A-Za-z0-9_-]{1,128}$/;
const stateCookiePath = (id: string) => `/auth/sso/${id}/callback`;

/**
 * /auth/sso/:id/start?interaction=<uid> and /auth/sso/:id/callback: the company SSO button's round trip. The state
 * also goes into a short-lived HttpOnly cookie scoped to the callback, so a callback carried to another browser
 * (login CSRF) is refused as login_expired. Refusals are recorded (audit, door auth) with the reference the error page
 * shows; a success ends the provider's interaction through CompleteSignIn, which records it.
 */
export function ssoRouter(d: SsoRoutesDeps): Router {
  const r = Router();

  const refused = async (req: Request, res: Response, e: SsoRefusedError) => {
    const reference = randomUUID();
    await d.signIns.record(ctxOf(req, res, "auth"), {
      userId: null,
      login: null,
      email: e.attempt.email,
      method: "sso",
      connectionId: e.attempt.connectionId,
      code: e.code,
      reference,
      outcome: "refused",
    });
    req.log?.info({ code: e.code, detail: e.detail, connectionId: e.attempt.connectionId }, "sso sign-in refused");
    sendAccessError(req, res, e, reference);
  };

  r.get("/sso/:id/start", async (req, res) => {
    const id = String(req.params.id);
    const interaction = String(req.query.interaction ?? "");
    try {
      if (!INTERACTION.test(interaction))
        throw new SsoRefusedError("login_expired", "no sign-in interaction given", {
          connectionId: id,
          interactionUid: null,
          email: null,
        });
      const { url, state } = await d.sso.start(id, interaction);
      res.cookie(STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: "lax",
        secure: d.secureCookies,
        path: stateCookiePath(id),
        maxAge: d.stateTtlSeconds * 1000,
      });
      res.set("Cache-Control", "no-store").redirect(303, url.href);
    } catch (e) {
      if (e instanceof SsoRefusedError) return refused(req, res, e);
      throw e;
    }
  });

  r.get("/sso/:id/callback", async (req, res) => {
    const id = String(req.params.id);
    res.clearCookie(STATE_COOKIE, {
      path: stateCookiePath(id),
      httpOnly: true,
      sameSite: "lax",
      secure: d.secureCookies,
    });
    res.set("Cache-Control", "no-store");
    try {
      const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
      const signedIn = await d.sso.callback(ctxOf(req, res, "auth"), id, query, cookieOf(req, STATE_COOKIE));
      await d.complete(req, res, signedIn.interactionUid, {
        userId: signedIn.userId,
        method: "sso",
        connectionId: signedIn.connectionId,
        email: signedIn.email,
      });
    } catch (e) {
      if (e instanceof SsoRefusedError) return refused(req, res, e);
      throw e;
    }
  });

  return r;
}
