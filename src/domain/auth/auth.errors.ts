import { DomainError } from "../errors";
import type { PolicyViolation } from "./password-policy.rules";

/** Why an invitation link cannot be used; the same `invitation_unknown` for every token that matches nothing. */
export type LinkRefusal =
  | "invitation_unknown"
  | "invitation_expired"
  | "invitation_used"
  | "invitation_replaced"
  | "invitation_revoked";

export class InvitationLinkError extends DomainError {
  constructor(
    readonly code: LinkRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A new password the policy refuses, with every rule it breaks. */
export class WeakPasswordError extends DomainError {
  readonly code = "weak_password";
  constructor(
    readonly field: string,
    readonly violations: PolicyViolation[],
  ) {
    super(`${field} ${violations.map((v) => v.detail).join("; ")}`);
  }
}

/** Unknown login, wrong password, or a person who may not sign in: one answer for all, so none is revealed. */
export class InvalidCredentialsError extends DomainError {
  readonly code = "invalid_credentials";
  constructor() {
    super("The login or the password is wrong");
  }
}

/** The password was right but is a one-time password: it must be changed (POST /auth/password) before signing in. */
export class PasswordChangeRequiredError extends DomainError {
  readonly code = "password_change_required";
  constructor() {
    super("This password must be changed before signing in: change it with POST /auth/password");
  }
}
