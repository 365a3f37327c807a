// Who owns each profile field both the IdP and Roster's admins can write (decision 0103): the pure rules of both doors.
import { InvalidError } from "../errors";
import type { UserProfile } from "./user";

export type FieldOwner = "idp" | "admin";

/**
 * The owned fields, by the name the admin API gives them, with the SCIM attribute each is pushed as and how to read
 * and write it on a profile. Fields only the IdP writes (locale, phoneNumbers...) have no owner to choose.
 */
const FIELDS = {
  userName: { scim: "userName", get: (p) => p.userName, set: (p, v) => ({ ...p, userName: v as string }) },
  givenName: {
    scim: "name.givenName",
    get: (p) => p.name.givenName,
    set: (p, v) => ({ ...p, name: { ...p.name, givenName: v as string | null } }),
  },
  familyName: {
    scim: "name.familyName",
    get: (p) => p.name.familyName,
    set: (p, v) => ({ ...p, name: { ...p.name, familyName: v as string | null } }),
  },
  email: { scim: "emails", get: (p) => p.emails, set: (p, v) => ({ ...p, emails: v as UserProfile["emails"] }) },
  title: { scim: "title", get: (p) => p.title, set: (p, v) => ({ ...p, title: v as string | null }) },
  department: {
    scim: "department",
    get: (p) => p.enterprise.department,
    set: (p, v) => ({ ...p, enterprise: { ...p.enterprise, department: v as string | null } }),
  },
  manager: {
    scim: "manager",
    get: (p) => p.enterprise.managerId,
    set: (p, v) => ({ ...p, enterprise: { ...p.enterprise, managerId: v as string | null } }),
  },
  language: {
    scim: "preferredLanguage",
    get: (p) => p.preferredLanguage,
    set: (p, v) => ({ ...p, preferredLanguage: v as string | null }),
  },
} satisfies Record<
  string,
  { scim: string; get: (p: UserProfile) => unknown; set: (p: UserProfile, v: unknown) => UserProfile }
>;

export type OwnedField = keyof typeof FIELDS;
export const OWNED_FIELDS = Object.keys(FIELDS) as OwnedField[];
export type FieldOwnership = Record<OwnedField, FieldOwner>;

/** Other spellings a client may use for a field (the SCIM attribute names): read as the field itself. */
const ALIASES: Record<string, OwnedField> = {
  emails: "email",
  preferredLanguage: "language",
  managerId: "manager",
  "name.givenName": "givenName",
  "name.familyName": "familyName",
};

/** The published defaults: the IdP owns SCIM-managed people's names, emails, userName, title, department and manager. */
export const defaultFieldOwnership = (): FieldOwnership => ({
  userName: "idp",
  givenName: "idp",
  familyName: "idp",
  email: "idp",
  title: "idp",
  department: "idp",
  manager: "idp",
  language: "admin",
});

/** A stored value read leniently: a field missing or unreadable keeps its default (a newer field, an older row). */
export function fieldOwnershipOf(stored: unknown): FieldOwnership {
  const d = defaultFieldOwnership();
  const fields = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  for (const f of OWNED_FIELDS) if (fields[f] === "idp" || fields[f] === "admin") d[f] = fields[f];
  return d;
}

/**
 * A PUT's `fields`, checked: an unknown name or owner is an InvalidError naming `fields.<name>`. Fields left out take
 * their default (a PUT replaces the whole setting).
 */
export function parseFieldOwnership(fields: Record<string, unknown>): FieldOwnership {
  const next = defaultFieldOwnership();
  for (const [name, owner] of Object.entries(fields)) {
    const field = (OWNED_FIELDS as string[]).includes(name) ? (name as OwnedField) : ALIASES[name];
    if (!field)
      throw new InvalidError(
        `fields.${name}`,
        `'${name}' is not a field with an owner (one of ${OWNED_FIELDS.join(", ")})`,
      );
    if (owner !== "idp" && owner !== "admin")
      throw new InvalidError(`fields.${name}`, `the owner of ${name} must be "idp" or "admin"`);
    next[field] = owner;
  }
  return next;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * An IdP push (SCIM POST over an existing account, PUT, PATCH, Bulk) never overwrites an admin-owned field: the pushed
 * value of each is replaced by the current one, and the SCIM attribute named in `dropped` for the audit.
 */
export function keepAdminOwned(
  current: UserProfile,
  pushed: UserProfile,
  ownership: FieldOwnership,
): { profile: UserProfile; dropped: string[] } {
  let profile = pushed;
  const dropped: string[] = [];
  for (const f of OWNED_FIELDS) {
    if (ownership[f] !== "admin") continue;
    const field = FIELDS[f];
    if (same(field.get(current), field.get(pushed))) continue;
    profile = field.set(profile, field.get(current));
    dropped.push(`${field.scim} (owned by admins)`);
  }
  return { profile, dropped };
}

/** The `users` column of each owned field but email (a list, compared as JSON text by keepAdminOwned). */
const COLUMNS: Record<Exclude<OwnedField, "email">, string> = {
  userName: "user_name",
  givenName: "given_name",
  familyName: "family_name",
  title: "title",
  department: "department",
  manager: "manager_id",
  language: "preferred_language",
};

/** The admin-owned fields as [column, SCIM name] in OWNED_FIELDS' order, for the one-statement replace (email aside). */
export const adminOwnedColumns = (ownership: FieldOwnership): [string, string][] =>
  OWNED_FIELDS.filter((f): f is Exclude<OwnedField, "email"> => f !== "email" && ownership[f] === "admin").map((f) => [
    COLUMNS[f],
    FIELDS[f].scim,
  ]);

/** The IdP-owned fields among `fields` (an admin door's changes to a SCIM-managed person are refused on them). */
export const idpOwnedAmong = (ownership: FieldOwnership, fields: OwnedField[]): OwnedField[] =>
  fields.filter((f) => ownership[f] === "idp");
