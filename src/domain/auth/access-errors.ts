import { DomainError } from "../errors";
import type { AccessErrorCode } from "../sign-in-audit";

// The codes and the sign-in audit shape live in the kernel (users/ records sign-ins); auth's callers import them here.
export { ACCESS_ERROR_CODES, type AccessErrorCode, SIGN_IN_AUDIT, type SignInAuditData } from "../sign-in-audit";

/** A refusal at sign-in: the door shows the error page with this code, a reference id and the time. */
export class AccessRefusedError extends DomainError {
  constructor(
    readonly code: AccessErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}
