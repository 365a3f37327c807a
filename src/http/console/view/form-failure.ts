import { ConflictError, InvalidError, PreconditionFailedError, RefusedError } from "../../../domain/errors";

/** A domain error a console form shows itself: its message beside `field` (or above the form) and the status to answer. */
export interface FormFailure {
  field: string | null;
  message: string;
  status: number;
}

/**
 * The failure a form is re-rendered with (what the admin typed kept), or null for what the console's error page
 * presents instead (not found, forbidden by rights, the database away): the same statuses as the admin API.
 */
export function formFailureOf(e: unknown): FormFailure | null {
  if (e instanceof InvalidError) return { field: e.field, message: e.reason, status: 400 };
  if (e instanceof ConflictError) return { field: e.field, message: e.message, status: 409 };
  if (e instanceof PreconditionFailedError) return { field: null, message: e.message, status: 409 };
  if (e instanceof RefusedError)
    return { field: e.field ?? null, message: e.message, status: e.kind === "forbidden" ? 403 : 409 };
  return null;
}

/** The message for `field` (or for any of `fields`), when the failure names it. */
export const errorFor = (f: FormFailure | null | undefined, ...fields: string[]): string | null =>
  f?.field && fields.includes(f.field) ? f.message : null;

/** The message shown above a form: a failure naming none of the form's own fields. */
export const generalError = (f: FormFailure | null | undefined, ...fields: string[]): string | null =>
  f && !(f.field && fields.includes(f.field)) ? f.message : null;
