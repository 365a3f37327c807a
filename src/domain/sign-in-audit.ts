/**
 * The kernel's part of sign-in refusals: the public codes and the shape of a sign-in audit record, here so that
 * users/ (which records sign-ins: sign-ins.ts) and auth/ (which refuses them: auth/access-errors.ts re-exports all of
 * this) share them without users/ importing a higher layer.
 */

/**
 * Why a sign-in or sign-up was refused, as a stable code a person can read out to their admin and support can search
 * for (`GET /admin/v1/sign-in-events?code=`). The codes are public: never rename one.
 */
export const ACCESS_ERROR_CODES = [
  "user_deactivated",
  "user_unknown",
  "jit_disabled",
  "domain_not_allowed",
  "claim_missing",
  "group_not_allowed",
  "email_unverified",
  "account_conflict",
  "sso_only",
  "signup_disabled",
  "idp_error",
  "login_expired",
] as const;
export type AccessErrorCode = (typeof ACCESS_ERROR_CODES)[number];

/** Audit actions of sign-in attempts (door `auth`): the sign-in events search reads exactly these. */
export const SIGN_IN_AUDIT = { succeeded: "sign_in.succeeded", refused: "sign_in.refused" } as const;

/** The `changes` of a sign-in audit record. */
export interface SignInAuditData {
  /** What the person typed (password sign-in), or null. */
  login: string | null;
  /** The email known for the attempt (the account's, or the IdP's claim), or null. */
  email: string | null;
  method: "password" | "sso" | "signup";
  /** Set on a refusal. */
  code: AccessErrorCode | null;
  /** Shown on the error page, so support finds this record from what the person reads out. */
  reference: string;
  connectionId: string | null;
}
