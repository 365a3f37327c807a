import type { Request, Response } from "express";

/**
 * Ends a sign-in interaction of Roster's OpenID Provider once a person is known (by password, company SSO or
 * sign-up): the provider records the session and sends the browser back to the platform with its code. Given to the
 * sign-in methods by the provider's wiring, so SSO and sign-up never reach into oidc-provider themselves.
 */
export type CompleteSignIn = (
  req: Request,
  res: Response,
  interactionUid: string,
  result: { userId: string; method: "password" | "sso" | "signup"; connectionId?: string },
) => Promise<void>;
