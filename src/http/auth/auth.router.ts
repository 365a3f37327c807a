import { Router } from "express";
import { jsonBody, refuseMalformedUrl, requireBodyType } from "../middleware/well-formed-input";
import type { DataSource } from "typeorm";
import type { CredentialsService } from "../../domain/auth/credentials.service";
import type { EnrolmentService } from "../../domain/auth/enrolment.service";
import { Problem } from "../shared/problem";
import { authErrorHandler } from "./auth-problem";
import { SIGN_IN_STYLESHEET, SIGN_IN_STYLESHEET_PATH } from "./html-page";
import { invitationLinkRouter } from "./invitations.routes";
import { passwordRouter } from "./password.routes";
import { accountFailureLimit, authRateLimit } from "./rate-limit";

export interface AuthDeps {
  enrolment: EnrolmentService;
  credentials: CredentialsService;
  rateLimitPerMinute: number;
  accountFailuresPer15Minutes: number;
  /** Where the rate-limit counters live (shared by every replica). */
  ds: DataSource;
  jsonMaxDepth: number;
}

/** Bodies here are a password or two: anything larger is refused before it is read (413). */
const BODY_LIMIT = "16kb";
const JSON_TYPES = ["application/json", "application/*+json"];

/**
 * The end-user door, mounted at /auth (described in openapi.yaml): JSON in and out, errors as problem+json. No bearer
 * token: the invitation link's token, or the person's own password, is the credential, so every route is rate limited
 * per client address (each family on its own budget) before its body is read.
 */
export function authRouter(d: AuthDeps): Router {
  const r = Router();
  r.get(SIGN_IN_STYLESHEET_PATH.replace(/^\/auth/, ""), (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").type("css").send(SIGN_IN_STYLESHEET);
  });
  r.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  r.use("/invitations", authRateLimit(d.ds, "auth-invitations", d.rateLimitPerMinute));
  r.use("/login", authRateLimit(d.ds, "auth-login", d.rateLimitPerMinute));
  r.use("/password", authRateLimit(d.ds, "auth-password", d.rateLimitPerMinute));
  r.use(refuseMalformedUrl);
  r.use(
    requireBodyType(
      [...JSON_TYPES, "application/x-www-form-urlencoded"],
      () =>
        new Problem(
          415,
          "unsupported_media_type",
          "Send the body as application/json (or a form, from the invitation page)",
        ),
    ),
  );
  r.use(jsonBody({ type: JSON_TYPES, limit: BODY_LIMIT, strict: true, maxDepth: d.jsonMaxDepth }));
  r.use(
    ["/login", "/password"],
    accountFailureLimit(d.ds, d.accountFailuresPer15Minutes, (login) => d.credentials.attemptsKeyOf(login)),
  );
  r.use("/invitations", invitationLinkRouter(d.enrolment));
  r.use(passwordRouter(d.credentials));
  r.use((req) => {
    throw new Problem(404, "not_found", `No auth endpoint at ${req.method} ${req.originalUrl.split("?")[0]}`);
  });
  r.use(authErrorHandler);
  return r;
}
