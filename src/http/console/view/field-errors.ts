import { ConflictError, InvalidError, RefusedError } from "../../../domain/errors";
import { statusOf } from "../errors";

/** A domain error tied to one form field: what to show beside it, and the status the re-rendered form answers with. */
export interface FieldError {
  field: string;
  message: string;
  status: number;
}

/**
 * The field error a domain error carries (InvalidError, ConflictError, RefusedError with a `field`), or null: the
 * caller then lets it reach the console's error page. The message is the domain's own, without the field's name
 * repeated (the error is shown under the field's label).
 */
export function fieldErrorOf(e: unknown): FieldError | null {
  if (e instanceof FormFieldError) return { field: e.field, message: e.reason, status: 400 };
  if (e instanceof InvalidError) return { field: e.field, message: e.reason, status: statusOf(e) };
  if (e instanceof ConflictError) return { field: e.field, message: e.message, status: statusOf(e) };
  if (e instanceof RefusedError && e.field) return { field: e.field, message: e.message, status: statusOf(e) };
  return null;
}

/** A form field the door refuses before calling the service (what the admin API's zod schema checks), 400. */
export class FormFieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The error for `field` (or any of `fields`) among the form's, to give to Field/Select `error`. */
export const errorFor = (err: FieldError | null | undefined, ...fields: string[]): string | null =>
  err && fields.some((f) => err.field === f || err.field.startsWith(`${f}.`) || err.field.startsWith(`${f}[`))
    ? err.message
    : null;
