import type { Request, RequestHandler, Response } from "express";
import type { AccessService, PersonRights } from "../../domain/access/access.service";
import type { Actor, Ctx } from "../../domain/context";
import type { TokensService } from "../../domain/tokens/tokens.service";
import type { JwtChecker, JwtClaims } from "../middleware/jwt-verifier";
import { ctxOf } from "../middleware/request-context";
import { BEARER_REQUIRED, bearerTokenOf } from "../shared/bearer";
import { Problem, sendProblem } from "../shared/problem";

export type AdminRole = "admin" | "auditor";

/** Who is calling the admin door and what they may reach. */
export interface AdminPrincipal {
  actor: Actor;
  role: AdminRole;
  /** Entity ids (sub-entities included) the caller is limited to; null = the whole organisation. */
  entityScope: string[] | null;
}

export interface AdminJwtSettings {
  check: JwtChecker;
  /** Claim holding the role (a string or a list), e.g. `roles`. */
  roleClaim: string;
  /** Claim holding the login matched against Roster people (userName or email), e.g. `email`. */
  loginClaim: string;
  adminValue: string;
  auditorValue: string;
}

export interface AdminAuthOptions {
  tokens: TokensService;
  access: AccessService;
  jwt?: AdminJwtSettings;
}

/**
 * Bearer auth for /admin/v1. A service token of scope admin/auditor has that role over everything. A token bound to
 * a person, or a company JWT whose login matches a Roster person, gets that person's role and admin scope as stored
 * now (never more than the token's scope). A JWT for someone Roster does not know gets the role its role claim names.
 */
export function adminAuth(o: AdminAuthOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.admin = await principalOf(o, req);
      res.locals.auth = {
        actor: (res.locals.admin as AdminPrincipal).actor,
        scope: (res.locals.admin as AdminPrincipal).role,
      };
      next();
    } catch (e) {
      if (e instanceof Problem && e.status === 401) res.set("WWW-Authenticate", 'Bearer realm="roster"');
      if (e instanceof Problem) return sendProblem(res, e);
      next(e);
    }
  };
}

async function principalOf(o: AdminAuthOptions, req: Request): Promise<AdminPrincipal> {
  const bearer = bearerTokenOf(req.get("authorization"));
  if (!bearer) throw new Problem(401, "unauthenticated", BEARER_REQUIRED);
  const token = await o.tokens.authenticate(bearer);
  if (token) {
    if (token.scope !== "admin" && token.scope !== "auditor")
      throw new Problem(
        403,
        "wrong_scope",
        "This token's scope does not open the admin API (admin or auditor is needed)",
      );
    const actor: Actor = { type: "token", id: token.id, name: token.name };
    if (!token.userId) return { actor, role: token.scope, entityScope: null };
    return fromPerson(await o.access.rightsOf(token.userId), actor, token.scope);
  }
  const claims = o.jwt ? await o.jwt.check(bearer) : null;
  if (!claims || !o.jwt) throw new Problem(401, "invalid_token", "The bearer token is not valid");
  return fromJwt(o.access, o.jwt, claims);
}

async function fromJwt(access: AccessService, s: AdminJwtSettings, claims: JwtClaims): Promise<AdminPrincipal> {
  const login = claims[s.loginClaim];
  const roles = ([] as unknown[]).concat(claims[s.roleClaim] ?? []).map(String);
  const claimed: AdminRole | null = roles.includes(s.adminValue)
    ? "admin"
    : roles.includes(s.auditorValue)
      ? "auditor"
      : null;
  const actorName = typeof login === "string" ? login : String(claims.sub ?? "unknown");
  const person = typeof login === "string" ? await access.rightsOfLogin(login) : null;
  const actor: Actor = { type: "user", id: person?.userId ?? String(claims.sub ?? ""), name: actorName };
  if (person) return fromPerson(person, actor, "admin");
  if (!claimed)
    throw new Problem(
      403,
      "not_an_admin",
      `The token's ${s.roleClaim} claim names neither ${s.adminValue} nor ${s.auditorValue}`,
    );
  return { actor, role: claimed, entityScope: null };
}

function fromPerson(p: PersonRights | null, _actor: Actor, cap: AdminRole): AdminPrincipal {
  if (!p?.enabled) throw new Problem(403, "account_disabled", "The person this token acts as is deactivated or gone");
  if (p.role === "member") throw new Problem(403, "not_an_admin", `${p.userName} has no admin or auditor role`);
  const role: AdminRole = p.role === "admin" && cap === "admin" ? "admin" : "auditor";
  return { actor: { type: "user", id: p.userId, name: p.userName }, role, entityScope: p.entityScope };
}

/** Auditors read; every other method needs the admin role. */
export const writesNeedAdmin: RequestHandler = (req, res, next) => {
  const p = res.locals.admin as AdminPrincipal;
  if (p.role !== "admin" && !["GET", "HEAD", "OPTIONS"].includes(req.method)) {
    return sendProblem(res, new Problem(403, "read_only", "Auditors have read-only access"));
  }
  next();
};

export const principal = (res: Response): AdminPrincipal => res.locals.admin as AdminPrincipal;

/** The domain context of an admin request, carrying the caller's entity scope for the services to enforce. */
export function adminCtx(req: Request, res: Response): Ctx {
  const p = principal(res);
  return { ...ctxOf(req, res, "admin"), entityScope: p.entityScope, role: p.role };
}
