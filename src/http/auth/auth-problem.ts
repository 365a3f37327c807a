import type { ErrorRequestHandler } from "express";
import {
  InvalidCredentialsError,
  InvitationLinkError,
  PasswordChangeRequiredError,
} from "../../domain/auth/auth.errors";
import { logger } from "../../log";
import { Problem, sendProblem, toProblem } from "../shared/problem";

/**
 * The auth door's errors as problem+json (RFC 9457), in the admin door's shape: its own refusals first (an unknown
 * link 404, an unusable one 410, credentials 401/403), then everything the admin door maps (weak_password, sso_only,
 * invalid bodies, 503 when the database is away).
 */
export function toAuthProblem(e: unknown): Problem {
  if (e instanceof InvitationLinkError)
    return new Problem(e.code === "invitation_unknown" ? 404 : 410, e.code, e.message);
  if (e instanceof InvalidCredentialsError) return new Problem(401, e.code, e.message);
  if (e instanceof PasswordChangeRequiredError) return new Problem(403, e.code, e.message);
  return toProblem(e);
}

export const authErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const p = toAuthProblem(err);
  if (p.status >= 500 && p.status !== 503) (req.log ?? logger).error({ err }, "auth request failed");
  if (res.headersSent) return void res.end();
  sendProblem(res, p);
};
