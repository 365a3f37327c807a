import { type AccessErrorCode, AccessRefusedError } from "../auth/access-errors";

/** What the door records of a refused SSO sign-in (the sign-in events search finds it by email, code and time). */
export interface SsoAttempt {
  connectionId: string;
  /** The provider's interaction the sign-in belongs to, when known (an expired state knows none). */
  interactionUid: string | null;
  /** The IdP's email claim, when the ID token was read. */
  email: string | null;
}

/** A refused company SSO sign-in: the stable code, and the attempt the door records before showing the error page. */
export class SsoRefusedError extends AccessRefusedError {
  constructor(
    code: AccessErrorCode,
    detail: string,
    readonly attempt: SsoAttempt,
  ) {
    super(code, detail);
  }
}
