import type { Request, RequestHandler, Response } from "express";
import type { AccessService } from "../../domain/access/access.service";
import type { ConsoleSessionsService } from "../../domain/console/console-sessions.service";
import type { Actor, Ctx } from "../../domain/context";
import type { Language } from "../../domain/language";
import { cookieOf } from "../auth/cookies";
import { consoleLanguage } from "./i18n";
import { refused } from "./view/refusal";

export const SESSION_COOKIE = "roster_console";

/** Who is using the console: a person with the admin or auditor role, their scope read fresh at this request. */
export interface ConsolePrincipal {
  actor: Actor;
  userName: string;
  role: "admin" | "auditor";
  /** Entity ids (sub-entities included) the person is limited to; null = the whole organisation. */
  entityScope: string[] | null;
}

/** What every console page is given (res.locals.console), set by `consoleSession`. */
export interface ConsoleLocals {
  principal: ConsolePrincipal;
  /** The session's CSRF token: every form carries it back (CsrfField), checked by `checkCsrf`. */
  csrfToken: string;
  language: Language;
  /** The cookie's value, to end the session on sign-out. */
  sessionToken: string;
}

export const localsOf = (res: Response): ConsoleLocals => res.locals.console as ConsoleLocals;

/** The domain context of a console request: the signed-in person, door `console`, their role and entity scope. */
export function consoleCtx(req: Request, res: Response): Ctx {
  const { principal } = localsOf(res);
  return {
    actor: principal.actor,
    door: "console",
    requestId: String(req.id ?? "") || null,
    role: principal.role,
    entityScope: principal.entityScope,
  };
}

export interface SessionOptions {
  sessions: ConsoleSessionsService;
  access: AccessService;
}

/**
 * The session of the cookie, and the person's rights as they are now: without a live session a page asks to sign in
 * (GET: a redirect there, coming back after; anything else: 401). A person whose account is off, or who is no longer
 * an admin or auditor, is refused at once even with a live session.
 */
export function consoleSession(o: SessionOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = cookieOf(req, SESSION_COOKIE);
      const session = token ? await o.sessions.resume(token) : null;
      const rights = session ? await o.access.rightsOf(session.userId) : null;
      if (!session || !token || !rights) return askToSignIn(req, res);
      if (!rights.enabled || (rights.role !== "admin" && rights.role !== "auditor"))
        return refused(res, consoleLanguage(req), rights.enabled ? "not_an_admin" : "account_disabled");
      const principal: ConsolePrincipal = {
        actor: { type: "user", id: rights.userId, name: rights.userName },
        userName: rights.userName,
        role: rights.role,
        entityScope: rights.entityScope,
      };
      const locals: ConsoleLocals = {
        principal,
        csrfToken: session.csrfToken,
        language: consoleLanguage(req),
        sessionToken: token,
      };
      res.locals.console = locals;
      next();
    } catch (e) {
      next(e);
    }
  };
}

function askToSignIn(req: Request, res: Response): void {
  if (req.method === "GET" || req.method === "HEAD") {
    const back = req.originalUrl.startsWith("/console") ? req.originalUrl : "/console";
    return void res.redirect(303, `/console/sign-in?returnTo=${encodeURIComponent(back)}`);
  }
  res.status(401).type("text/plain").send("Your console session is over: sign in again.");
}

/** A path inside the console to come back to after signing in (never another site: an open redirect). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/console") || value.startsWith("//") || value.includes("\\"))
    return "/console";
  return value.length > 2000 ? "/console" : value;
}
