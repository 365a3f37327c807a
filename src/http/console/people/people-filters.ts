import type { UserSource } from "../../../domain/users/user";
import { USER_SOURCES } from "../../../domain/users/users-search.facets";
import type { UserSearchFilter } from "../../../domain/users/users.search";

/**
 * The people list's filters as the console's form has them (one drop-down per question, each answer one criterion of
 * the admin search), and their translation to the search's filter: the console holds no rule of its own about who is
 * "never connected" or "not enrollable", it names the search's criteria.
 */
export const FILTER_CHOICES = {
  connection: ["connected", "never"],
  enrolment: ["enrolled", "never", "impossible"],
  kind: ["internal", "external"],
  account: ["active", "deactivated", "invited"],
  source: USER_SOURCES,
} as const;

export type FilterKey = keyof typeof FILTER_CHOICES;
export const FILTER_KEYS = Object.keys(FILTER_CHOICES) as FilterKey[];

/** What the admin typed and chose; "" = any. */
export type PeopleFilterForm = { q: string } & Record<FilterKey, string>;

export interface ReadForm {
  form: PeopleFilterForm;
  /** Keys given a value the drop-down does not offer (a hand-edited address): shown next to that drop-down. */
  invalid: FilterKey[];
}

const text = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) ? String(v[v.length - 1]) : "");

/** The form from a query string (or the hidden copy of it a mass action posts back). */
export function readFilterForm(query: Record<string, unknown>): ReadForm {
  const form = { q: text(query.q).slice(0, 200) } as PeopleFilterForm;
  const invalid: FilterKey[] = [];
  for (const key of FILTER_KEYS) {
    const value = text(query[key]);
    const known = value === "" || (FILTER_CHOICES[key] as readonly string[]).includes(value);
    form[key] = known ? value : "";
    if (!known) invalid.push(key);
  }
  return { form, invalid };
}

/** The admin search's filter for the form: each drop-down's answer is one criterion, all must hold. */
export function toSearchFilter(f: PeopleFilterForm): UserSearchFilter {
  const out: UserSearchFilter = {};
  if (f.q.trim()) out.q = f.q;
  if (f.connection) out.connected = f.connection === "connected";
  if (f.enrolment === "enrolled") out.enrolled = true;
  if (f.enrolment === "never") out.enrolled = false;
  // Not enrolled, and nowhere to send a way in: no email address, no userName that is one, no phone.
  if (f.enrolment === "impossible") Object.assign(out, { enrolled: false, contact: false });
  if (f.kind) out.external = f.kind === "external";
  if (f.account) out.status = [f.account as "active" | "deactivated" | "invited"];
  if (f.source) out.source = [f.source as UserSource];
  return out;
}

/** True when the form narrows the list (acting on "all matching" an empty filter would be everyone: refused). */
export const narrows = (f: PeopleFilterForm): boolean => Object.keys(toSearchFilter(f)).length > 0;

/** The form as a query string (only the criteria chosen), for links and the hidden copy a mass action carries. */
export function filterQuery(f: PeopleFilterForm): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set("q", f.q);
  for (const key of FILTER_KEYS) if (f[key]) p.set(key, f[key]);
  return p;
}

/** Pages passed, kept in the address so "previous" works without a session: at most this many cursors. */
export const TRAIL_MAX = 10;
const TRAIL_SEPARATOR = "~";

/** The cursors of the pages before this one (oldest first); "" stands for the first page. */
export const readTrail = (v: unknown): string[] =>
  text(v) === "" ? [] : text(v).split(TRAIL_SEPARATOR).slice(-TRAIL_MAX);

/** The list's address for a page: the filters, then the page's cursor and the trail back. */
export function listHref(f: PeopleFilterForm, page: { cursor?: string; trail?: string[] } = {}): string {
  const p = filterQuery(f);
  if (page.cursor) p.set("cursor", page.cursor);
  if (page.trail?.length) p.set("back", page.trail.slice(-TRAIL_MAX).join(TRAIL_SEPARATOR));
  const qs = p.toString();
  return qs ? `/console/people?${qs}` : "/console/people";
}

/** Links to the pages before and after this one, keeping the filters. */
export function pageLinks(
  f: PeopleFilterForm,
  cursor: string | undefined,
  trail: string[],
  nextCursor: string | null,
): { prev: string | null; next: string | null } {
  const prev = cursor ? listHref(f, { cursor: trail[trail.length - 1] || undefined, trail: trail.slice(0, -1) }) : null;
  const next = nextCursor ? listHref(f, { cursor: nextCursor, trail: [...trail, cursor ?? ""] }) : null;
  return { prev, next };
}
