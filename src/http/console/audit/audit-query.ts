import { ZodError } from "zod";
import { InvalidError } from "../../../domain/errors";
import { type AuditListQuery, parseExportQuery, parseListQuery } from "../../admin/audit.schemas";
import { Problem } from "../../shared/problem";

/** The audit filters the console's form sends, as typed (GET, so a filtered list is a link one can share). */
export const FILTERS = ["actor", "door", "action", "user", "group", "from", "to"] as const;
export type FilterName = (typeof FILTERS)[number];
export type Typed = Partial<Record<FilterName, string>>;

/** What the admin typed, each filter once (a repeated key keeps its last value), blanks dropped. */
export function typedFilters(query: Record<string, unknown>): Typed {
  const out: Typed = {};
  for (const k of FILTERS) {
    const v = query[k];
    if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
  }
  return out;
}

/**
 * The API's query from the form's: a datetime-local field sends "2026-01-31T12:00" with no zone, read as UTC (the
 * console shows every instant in UTC, and says so). Everything else is the API's own syntax.
 */
function apiQuery(typed: Typed): Record<string, string> {
  const q: Record<string, string> = { ...typed };
  for (const k of ["from", "to"] as const) {
    const v = typed[k];
    if (v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) q[k] = `${v}${v.length === 16 ? ":00" : ""}Z`;
  }
  return q;
}

/** Per-field messages of a refused query (the field named as in the form). */
export type FilterErrors = Partial<Record<FilterName | "cursor", string>>;

/** The list query through the admin API's own parser, or the messages to show beside the fields at fault. */
export function listQueryOf(
  typed: Typed,
  cursor: string | undefined,
): { query: AuditListQuery; errors: null } | { query: null; errors: FilterErrors } {
  try {
    return { query: parseListQuery({ ...apiQuery(typed), ...(cursor ? { cursor } : {}) }), errors: null };
  } catch (e) {
    return { query: null, errors: errorsOf(e) };
  }
}

/**
 * The export's query (the same filters and the format), through the admin API's parser; a bad one is an InvalidError
 * naming the parameter (the console's error page shows it, 400).
 */
export function exportQueryOf(typed: Typed, format: string): ReturnType<typeof parseExportQuery> {
  try {
    return parseExportQuery({ ...apiQuery(typed), format });
  } catch (e) {
    const [field, message] = Object.entries(errorsOf(e))[0] ?? ["format", "is not valid"];
    throw new InvalidError(field, message ?? "is not valid");
  }
}

/** The list's address with these filters (and a cursor, or a format for the export). */
export function auditHref(path: string, typed: Typed, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...(typed as Record<string, string>), ...extra }).toString();
  return q ? `${path}?${q}` : path;
}

function errorsOf(e: unknown): FilterErrors {
  if (e instanceof Problem) {
    const field = (e.field ?? "cursor") as FilterName;
    return { [field]: e.detail.replace(`${field}: `, "") };
  }
  if (e instanceof ZodError) {
    const out: FilterErrors = {};
    for (const issue of e.issues) {
      const field = String(issue.path[0] ?? "cursor") as FilterName;
      out[field] ??= issue.message;
    }
    return out;
  }
  throw e;
}
