import type { Request, Response } from "express";

/**
 * Ends a sign-in interaction of Roster's OpenID Provider once a person is known (by password, company SSO or
 * sign-up): the provider records the session and sends the browser back to the platform with its code. Given to the
 * sign-in methods by the provider's wiring, so SSO and sign-up never reach into oidc-provider themselves.
 *
 * The contract every sign-in method keeps:
 * - This is the ONE place a successful sign-in is recorded: the implementation calls users' recordSignInIn with
 *   outcome "succeeded" and the `method` and `connectionId` it is given (last_login_at, enrolment at the first, the
 *   audit record), then finishes the OpenID interaction. Callers never record a success themselves.
 * - A person found deactivated (or removed) at this point is refused here: user_deactivated, recorded as a refusal,
 *   the access-error page sent. A finished or unknown interaction answers login_expired the same way.
 * - Refusals before this point are recorded by whoever refuses (recordSignInIn with outcome "refused", its own
 *   reference), which then calls sendAccessError (src/http/auth/access-error-page.ts) with that reference.
 *
 * `email`/`login` are what the method knows of the attempt, written into the success's audit record.
 */
export type CompleteSignIn = (
  req: Request,
  res: Response,
  interactionUid: string,
  result: {
    userId: string;
    method: "password" | "sso" | "signup";
    connectionId?: string;
    email?: string | null;
    login?: string | null;
  },
) => Promise<void>;
