import { ZodError } from "zod";
import { ConflictError, type DomainError, InvalidError, RefusedError } from "../../../domain/errors";
import { Problem } from "../../shared/problem";
import { statusOf } from "../errors";

/** A refused form: the message of each field shown beside it, or above the form (`general`) when it names none. */
export interface FormRefusal {
  status: number;
  fields: Record<string, string>;
  general: string | null;
}

/**
 * What an import form shows for an error, when it is one the admin can act on (bad input, a refusal, the upload's own
 * problems); null for anything else, which goes on to the console's error page. `known` are the form's field names;
 * a field the form does not have (e.g. adminScope) is reported above it.
 */
export function refusalOf(e: unknown, known: readonly string[]): FormRefusal | null {
  const put = (status: number, field: string | undefined, message: string): FormRefusal =>
    field && known.includes(field)
      ? { status, fields: { [field]: message }, general: null }
      : { status, fields: {}, general: message };
  if (e instanceof ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of e.issues) fields[String(issue.path[0] ?? "file")] ??= issue.message;
    return { status: 400, fields, general: null };
  }
  if (e instanceof Problem && e.status < 500) return put(e.status, e.field, e.detail);
  if (e instanceof InvalidError) return put(400, e.field, e.reason);
  if (e instanceof ConflictError || e instanceof RefusedError)
    return put(statusOf(e as DomainError), (e as { field?: string }).field, e.message);
  return null;
}
