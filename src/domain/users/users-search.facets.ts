import type { UserSource } from "./user";

export type UserStatus = "active" | "deactivated" | "invited";
export const USER_STATUSES: readonly UserStatus[] = ["active", "deactivated", "invited"];
/** In the order roster_user_facets() numbers them (migration 1764000000006). */
export const USER_SOURCES: readonly UserSource[] = ["scim", "admin", "csv", "jit", "signup"];

/** The status and source filters of the admin search; every one given must hold (AND). */
export interface FacetFilter {
  /** `invited` = an invitation is pending (sent, not yet enrolled). */
  status?: UserStatus[];
  enrolled?: boolean;
  /** Has signed in at least once. */
  connected?: boolean;
  external?: boolean;
  source?: UserSource[];
}

const ACTIVE = 1;
const INVITED = 2;
const ENROLLED = 4;
const CONNECTED = 8;
const EXTERNAL = 16;
const CODES = USER_SOURCES.length * 32;

/**
 * Whether an invitation could reach the person (an email address, a userName that is one, or a phone), the expression
 * users_contact_idx is built on (migration 1764000000190); the same test as invitations.rules.ts' emailOf/phoneOf.
 */
export const CONTACT_SQL = "roster_has_contact(u.emails, u.phone_numbers, u.user_name)";

/** The SQL expression the facets index is built on (the same call, so the planner matches it). */
export const FACETS_SQL =
  "roster_user_facets(u.active, u.invited_at, u.enrolled_at, u.last_login_at, u.external, u.source)";

const bit = (code: number, flag: number) => (code & flag) !== 0;

/**
 * The facet codes (see roster_user_facets) of the users a filter keeps, or null when it keeps every code.
 * Any AND of these filters is then one `facets = ANY(codes)` on one index.
 */
export function facetCodes(f: FacetFilter): number[] | null {
  const keep = (code: number): boolean => {
    for (const s of f.status ?? []) {
      if (s === "active" && !bit(code, ACTIVE)) return false;
      if (s === "deactivated" && bit(code, ACTIVE)) return false;
      if (s === "invited" && !(bit(code, INVITED) && !bit(code, ENROLLED))) return false;
    }
    if (f.enrolled !== undefined && bit(code, ENROLLED) !== f.enrolled) return false;
    if (f.connected !== undefined && bit(code, CONNECTED) !== f.connected) return false;
    if (f.external !== undefined && bit(code, EXTERNAL) !== f.external) return false;
    if (f.source && !f.source.includes(USER_SOURCES[code >> 5])) return false;
    return true;
  };
  const codes = Array.from({ length: CODES }, (_, code) => code).filter(keep);
  return codes.length === CODES ? null : codes;
}
