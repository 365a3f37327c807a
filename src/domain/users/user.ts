/** One value of a multi-valued attribute (RFC 7643 §2.4), kept as sent. */
export interface MultiValue {
  value?: string;
  display?: string;
  type?: string;
  primary?: boolean;
  [key: string]: unknown;
}

/** The value of the primary element of a multi-valued attribute, else of the first one with a value (trimmed). */
export function primaryValue(values: MultiValue[]): string | null {
  const usable = values.filter((v) => typeof v.value === "string" && v.value.trim() !== "");
  return (usable.find((v) => v.primary === true) ?? usable[0])?.value?.trim() ?? null;
}

export type UserSource = "scim" | "admin" | "csv" | "jit" | "signup";

/** What an invitation request may carry: the space (a group) an external person is invited into. */
export interface InviteOptions {
  space?: { groupId: string; name: string };
}

export interface PersonName {
  formatted: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  honorificPrefix: string | null;
  honorificSuffix: string | null;
}

/** RFC 7643 §4.3 enterprise extension; the manager is kept as the id the IdP sent. */
export interface EnterpriseFields {
  employeeNumber: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  department: string | null;
  managerId: string | null;
}

/** What a door may set on a person. */
export interface UserProfile {
  userName: string;
  externalId: string | null;
  name: PersonName;
  displayName: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  active: boolean;
  emails: MultiValue[];
  phoneNumbers: MultiValue[];
  /** addresses, ims, photos, entitlements, roles, x509Certificates, as sent. */
  extras: Record<string, unknown[]>;
  enterprise: EnterpriseFields;
}

export type SystemRole = "member" | "admin" | "auditor";
export const SYSTEM_ROLES: readonly SystemRole[] = ["member", "admin", "auditor"];

/**
 * What the platform decides about a person, beside the profile an IdP sends: only the admin door changes it,
 * so a SCIM PUT never resets it.
 */
export interface UserAccount {
  entityId: string | null;
  systemRole: SystemRole;
  /** Entities an admin is limited to (their sub-entities included); empty = the whole organisation. */
  adminScope: string[];
  external: boolean;
}

/** Lifecycle times the auth flows set (invitation sent, password set, last sign-in), and the IdP's last push (SCIM write). */
export interface UserLifecycle {
  invitedAt: Date | null;
  enrolledAt: Date | null;
  lastLoginAt: Date | null;
  lastPushedAt: Date | null;
}

/** What a SCIM DELETE took away (its groups) and the account held then: given back when the IdP creates the userName again. */
export interface LeaveSnapshot extends UserAccount {
  groups: string[];
}

export const defaultAccount = (): UserAccount => ({
  entityId: null,
  systemRole: "member",
  adminScope: [],
  external: false,
});

/** A group the user is a direct member of (read-only, RFC 7643 §4.1.2 `groups`). */
export interface UserGroup {
  id: string;
  display: string;
}

export interface User extends UserProfile {
  id: string;
  account: UserAccount;
  lifecycle: UserLifecycle;
  /** Direct memberships, kept by the group use cases. */
  groups: UserGroup[];
  source: UserSource;
  sourceRef: string | null;
  removedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A profile plus an optional new password (never stored or returned in clear), and the account when a door changes it. */
export interface UserWrite {
  profile: UserProfile;
  password?: string;
  /** Left out, the account stays as it is (the SCIM door never changes it; an entity mapping may). */
  account?: UserAccount;
  /** Attributes a door received and left out (unknown to its schema), named in the audit record of the write. */
  ignoredAttributes?: string[];
}

const PROFILE_KEYS: (keyof UserProfile)[] = [
  "userName",
  "externalId",
  "name",
  "displayName",
  "nickName",
  "profileUrl",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "active",
  "emails",
  "phoneNumbers",
  "extras",
  "enterprise",
];

/** Only the profile fields of `p` (a whole User, or a door's object carrying more, is cut down to them). */
export function pickProfile(p: UserProfile): UserProfile {
  return Object.fromEntries(PROFILE_KEYS.map((k) => [k, p[k]])) as unknown as UserProfile;
}

export function emptyProfile(userName: string): UserProfile {
  const nulls = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, null])) as Record<K, null>;
  return {
    userName,
    externalId: null,
    name: nulls(["formatted", "givenName", "familyName", "middleName", "honorificPrefix", "honorificSuffix"]),
    displayName: null,
    nickName: null,
    profileUrl: null,
    title: null,
    userType: null,
    preferredLanguage: null,
    locale: null,
    timezone: null,
    active: true,
    emails: [],
    phoneNumbers: [],
    extras: {},
    enterprise: nulls(["employeeNumber", "costCenter", "organization", "division", "department", "managerId"]),
  };
}
