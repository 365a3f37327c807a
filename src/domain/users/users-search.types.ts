import type { MultiValue, SystemRole, UserSource } from "./user";
import type { FacetFilter } from "./users-search.facets";
import type { UserSortField } from "./users-search.sql";

/** What the admin search selects; every criterion given must hold. */
export interface UserSearchFilter extends FacetFilter {
  /** Words matched, each anywhere in the names, userName or emails, ignoring case and accents. */
  q?: string;
  entity?: string[];
  includeSubEntities?: boolean;
  /** Direct members of any of these groups (spaces). */
  group?: string[];
  /**
   * Has somewhere an invitation can go (an email address, a userName that is one, or a phone number). With
   * `enrolled: false`, `contact: false` is "no enrolment possible": nobody can send them a way in.
   */
  contact?: boolean;
}

export interface UserSearchQuery {
  filter: UserSearchFilter;
  sort: UserSortField;
  descending: boolean;
  cursor?: string;
  limit: number;
}

export interface UserSummary {
  id: string;
  userName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  active: boolean;
  source: UserSource;
  external: boolean;
  entityId: string | null;
  role: SystemRole;
  invitedAt: Date | null;
  enrolledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** A bounded count: exact up to the cap asked, else "more than `count`" and the planner's estimate. */
export interface UserCount {
  count: number;
  exact: boolean;
  estimate: number;
}

export interface UserSearchPage {
  items: UserSummary[];
  nextCursor: string | null;
}

/** A row of the search's statements (their SUMMARY columns, the sort key, and the candidates' count when asked). */
export type SummaryRow = Omit<UserSummary, "email"> & { emails: MultiValue[]; sortKey: string; candidates?: number };

export function toSummary(r: SummaryRow): UserSummary {
  const { emails, sortKey: _key, candidates: _candidates, ...rest } = r;
  const email = (emails.find((e) => e.primary === true) ?? emails[0])?.value ?? null;
  return { ...rest, email: typeof email === "string" ? email : null };
}
