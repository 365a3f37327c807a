import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { AccessRefusedError } from "../../domain/auth/access-errors";
import type { SignInRecorder } from "../../domain/users/sign-ins";
import { sendAccessError } from "../auth/access-error-page";
import type { CompleteSignIn } from "../auth/complete-sign-in";
import { ctxOf } from "../middleware/request-context";

/** The provider's side of ending an interaction (src/http/oidc/provider-holder.ts implements it). */
export interface InteractionFinisher {
  /** Whether `uid` is the live interaction of this browser (its interaction cookie), not finished nor expired. */
  isOpen(req: Request, res: Response, uid: string): Promise<boolean>;
  /**
   * Signs `accountId` in for interaction `uid` and redirects the browser back to the authorization endpoint; `amr`
   * says how (RFC 8176: `pwd`, or `fed` for a company IdP).
   */
  finish(req: Request, res: Response, uid: string, accountId: string, amr: string[]): Promise<void>;
}

/**
 * The CompleteSignIn every sign-in method is given (its contract is on the type): the interaction checked first (gone:
 * login_expired), the success recorded (a person deactivated meanwhile: user_deactivated), then the interaction ended.
 */
export function completeSignIn(recorder: SignInRecorder, provider: InteractionFinisher): CompleteSignIn {
  return async (req, res, uid, result) => {
    const ctx = ctxOf(req, res, "auth");
    const attempt = {
      userId: result.userId,
      login: result.login ?? null,
      email: result.email ?? null,
      method: result.method,
      connectionId: result.connectionId ?? null,
    };
    const refuse = async (code: "login_expired" | "user_deactivated") => {
      const reference = randomUUID();
      await recorder.record(ctx, { ...attempt, outcome: "refused", code, reference });
      sendAccessError(req, res, new AccessRefusedError(code), reference);
    };
    if (!(await provider.isOpen(req, res, uid))) return refuse("login_expired");
    const reference = randomUUID();
    const admitted = await recorder.record(ctx, { ...attempt, outcome: "succeeded", code: null, reference });
    if (!admitted) return refuse("user_deactivated");
    await provider.finish(req, res, uid, result.userId, result.method === "sso" ? ["fed"] : ["pwd"]);
  };
}
