// The `users` row: its column maps, the SELECT and RETURNING lists built from them, and row <-> domain mapping.
import { userGroupsJson } from "../groups/groups.fragments";
import {
  type EnterpriseFields,
  type PersonName,
  type SystemRole,
  type User,
  type UserAccount,
  type UserGroup,
  type UserProfile,
  type UserSource,
  pickProfile,
} from "./user";

/**
 * A `users` row as the repository's statements return it (columns aliased to these names). The table is reached
 * only through the SQL of users.repository.ts and users.statements.ts; migrations/ define it.
 */
export type UserRow = Omit<UserProfile, "name" | "enterprise"> &
  Omit<PersonName, "formatted"> &
  EnterpriseFields & {
    id: string;
    nameFormatted: string | null;
    source: string;
    sourceRef: string | null;
    removedAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
    version: number;
    entityId: string | null;
    systemRole: SystemRole;
    adminScope: string[];
    external: boolean;
    invitedAt: Date | null;
    enrolledAt: Date | null;
    lastLoginAt: Date | null;
    lastPushedAt: Date | null;
    groups: UserGroup[];
  };

/** Profile columns in a fixed order, so each statement's text never varies (it is prepared once per connection). */
export const PROFILE_COLUMNS: [keyof UserRow, string][] = [
  ["userName", "user_name"],
  ["externalId", "external_id"],
  ["nameFormatted", "name_formatted"],
  ["givenName", "given_name"],
  ["familyName", "family_name"],
  ["middleName", "middle_name"],
  ["honorificPrefix", "honorific_prefix"],
  ["honorificSuffix", "honorific_suffix"],
  ["displayName", "display_name"],
  ["nickName", "nick_name"],
  ["profileUrl", "profile_url"],
  ["title", "title"],
  ["userType", "user_type"],
  ["preferredLanguage", "preferred_language"],
  ["locale", "locale"],
  ["timezone", "timezone"],
  ["active", "active"],
  ["emails", "emails"],
  ["phoneNumbers", "phone_numbers"],
  ["extras", "extras"],
  ["employeeNumber", "employee_number"],
  ["costCenter", "cost_center"],
  ["organization", "organization"],
  ["division", "division"],
  ["department", "department"],
  ["managerId", "manager_id"],
];
const META_COLUMNS: [keyof UserRow, string][] = [
  ["id", "id"],
  ["source", "source"],
  ["sourceRef", "source_ref"],
  ["removedAt", "removed_at"],
  ["createdAt", "created_at"],
  ["updatedAt", "updated_at"],
  ["version", "version"],
  ["entityId", "entity_id"],
  ["systemRole", "system_role"],
  ["adminScope", "admin_scope"],
  ["external", "external"],
  ["invitedAt", "invited_at"],
  ["enrolledAt", "enrolled_at"],
  ["lastLoginAt", "last_login_at"],
  ["lastPushedAt", "last_pushed_at"],
];
export const JSONB = new Set<string>(["emails", "phone_numbers", "extras"]);
/** The user's direct groups (User.groups) through group_members' user_id index. */
const groupsOf = (userId: string) => `${userGroupsJson(userId)} AS "groups"`;
export const RETURNING = `${[...META_COLUMNS, ...PROFILE_COLUMNS].map(([p, c]) => `${c} AS "${p}"`).join(", ")}, ${groupsOf("users.id")}`;
export const SELECT = `${[...META_COLUMNS, ...PROFILE_COLUMNS].map(([p, c]) => `u.${c} AS "${p}"`).join(", ")}, ${groupsOf("u.id")}`;
export const SET_PROFILE = PROFILE_COLUMNS.map(([, c], i) => `${c} = $${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(
  ", ",
);
export const P = PROFILE_COLUMNS.length;

export const accountValues = (a: UserAccount): unknown[] => [a.entityId, a.systemRole, a.adminScope, a.external];

export function profileValues(p: UserProfile): unknown[] {
  const row: Partial<Record<keyof UserRow, unknown>> = {
    userName: p.userName,
    externalId: p.externalId,
    nameFormatted: p.name.formatted,
    givenName: p.name.givenName,
    familyName: p.name.familyName,
    middleName: p.name.middleName,
    honorificPrefix: p.name.honorificPrefix,
    honorificSuffix: p.name.honorificSuffix,
    displayName: p.displayName,
    nickName: p.nickName,
    profileUrl: p.profileUrl,
    title: p.title,
    userType: p.userType,
    preferredLanguage: p.preferredLanguage,
    locale: p.locale,
    timezone: p.timezone,
    active: p.active,
    // pg would send JS arrays as PostgreSQL arrays: jsonb goes as JSON text.
    emails: JSON.stringify(p.emails),
    phoneNumbers: JSON.stringify(p.phoneNumbers),
    extras: JSON.stringify(p.extras),
    ...p.enterprise,
  };
  return PROFILE_COLUMNS.map(([prop]) => row[prop] ?? null);
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    userName: r.userName,
    externalId: r.externalId,
    name: {
      formatted: r.nameFormatted,
      givenName: r.givenName,
      familyName: r.familyName,
      middleName: r.middleName,
      honorificPrefix: r.honorificPrefix,
      honorificSuffix: r.honorificSuffix,
    },
    displayName: r.displayName,
    nickName: r.nickName,
    profileUrl: r.profileUrl,
    title: r.title,
    userType: r.userType,
    preferredLanguage: r.preferredLanguage,
    locale: r.locale,
    timezone: r.timezone,
    active: r.active,
    emails: r.emails,
    phoneNumbers: r.phoneNumbers,
    extras: r.extras,
    enterprise: {
      employeeNumber: r.employeeNumber,
      costCenter: r.costCenter,
      organization: r.organization,
      division: r.division,
      department: r.department,
      managerId: r.managerId,
    },
    account: { entityId: r.entityId, systemRole: r.systemRole, adminScope: r.adminScope, external: r.external },
    lifecycle: {
      invitedAt: r.invitedAt,
      enrolledAt: r.enrolledAt,
      lastLoginAt: r.lastLoginAt,
      lastPushedAt: r.lastPushedAt,
    },
    source: r.source as UserSource,
    sourceRef: r.sourceRef,
    removedAt: r.removedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    groups: r.groups ?? [],
  };
}

/** The profile part of a user (what doors may change). */
export const profileOf = (u: User): UserProfile => pickProfile(u);
