import type { RequestHandler } from "express";
import type { Scope, TokensService } from "../../domain/tokens/tokens.service";
import type { JwtVerifier } from "./jwt-verifier";
import type { AuthLocals } from "./request-context";
import { BEARER_REQUIRED, bearerTokenOf } from "../shared/bearer";

export interface AuthFailure {
  status: 401 | 403;
  detail: string;
}

export interface BearerOptions {
  tokens: TokensService;
  scopes: Scope[];
  /** JWTs from the configured issuer are accepted as the first of `scopes`. */
  jwt?: JwtVerifier;
}

/** Accepts `Authorization: Bearer <token>` whose scope is one of `scopes`; failures go to `reject` so each door answers in its own format. */
export function bearerAuth(
  { tokens, scopes, jwt }: BearerOptions,
  reject: (res: Parameters<RequestHandler>[1], f: AuthFailure) => void,
): RequestHandler {
  return async (req, res, next) => {
    const bearer = bearerTokenOf(req.get("authorization"));
    if (!bearer) {
      res.set("WWW-Authenticate", 'Bearer realm="roster"');
      return reject(res, { status: 401, detail: BEARER_REQUIRED });
    }
    try {
      const token = await tokens.authenticate(bearer);
      const jwtActor = !token && jwt ? await jwt(bearer) : null;
      if (jwtActor) {
        res.locals.auth = { actor: jwtActor, scope: scopes[0], credential: "jwt" } satisfies AuthLocals;
        return next();
      }
      if (!token) {
        res.set("WWW-Authenticate", 'Bearer realm="roster", error="invalid_token"');
        return reject(res, { status: 401, detail: "The bearer token is not valid" });
      }
      if (!scopes.includes(token.scope))
        return reject(res, { status: 403, detail: `A token of scope ${scopes.join(" or ")} is required` });
      const auth: AuthLocals = {
        actor: { type: "token", id: token.id, name: token.name },
        scope: token.scope,
        credential: "token",
      };
      res.locals.auth = auth;
      next();
    } catch (e) {
      next(e);
    }
  };
}
