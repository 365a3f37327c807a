/** Domain errors: what went wrong in the terms of the use case. Each door maps them to its own wire format. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends DomainError {
  readonly code = "not_found";
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly code = "conflict";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class InvalidError extends DomainError {
  readonly code = "invalid";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
}

export class PreconditionFailedError extends DomainError {
  readonly code = "precondition_failed";
  constructor(readonly currentVersion: number) {
    super(`the resource has changed (version is now ${currentVersion})`);
  }
}

/**
 * A use case refused by a business rule, with a stable code the doors pass on (`sso_only`, `idp_owned_field`,
 * `out_of_scope`, `entity_cycle`, ...): `forbidden` by policy or rights, or in `conflict` with the current state.
 */
export class RefusedError extends DomainError {
  constructor(
    readonly code: string,
    readonly kind: "forbidden" | "conflict",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The store cannot be reached: doors answer 503, never 404. */
export class UnavailableError extends DomainError {
  readonly code = "unavailable";
}
