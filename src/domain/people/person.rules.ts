import { type MultiValue, type User, type UserProfile, primaryValue } from "../users/user";
import type { OwnedField } from "../users/field-ownership";
import type { PersonChanges } from "./person";

/** The address a person is reached and signs in with: the primary email, else the first. */
export const primaryEmail = (p: UserProfile): string | null => primaryValue(p.emails);

/** The profile with an admin's (already checked) changes; names also set the formatted and display names. */
export function applyChanges(p: UserProfile, c: PersonChanges): UserProfile {
  const next: UserProfile = { ...p, name: { ...p.name } };
  if (c.givenName !== undefined) next.name.givenName = c.givenName;
  if (c.familyName !== undefined) next.name.familyName = c.familyName;
  if (c.givenName !== undefined || c.familyName !== undefined) {
    const full = [next.name.givenName, next.name.familyName].filter(Boolean).join(" ") || null;
    next.name.formatted = full;
    next.displayName = full;
  }
  if (c.email !== undefined) next.emails = withPrimaryEmail(p.emails, c.email);
  if (c.userName !== undefined) next.userName = c.userName;
  if (c.language !== undefined) next.preferredLanguage = c.language;
  if (c.title !== undefined) next.title = c.title;
  if (c.phone !== undefined) next.phoneNumbers = withFirstPhone(p.phoneNumbers, c.phone);
  if (c.department !== undefined || c.manager !== undefined || c.employeeNumber !== undefined) {
    next.enterprise = {
      ...p.enterprise,
      ...(c.department !== undefined ? { department: c.department } : {}),
      ...(c.manager !== undefined ? { managerId: c.manager } : {}),
      ...(c.employeeNumber !== undefined ? { employeeNumber: c.employeeNumber } : {}),
    };
  }
  return next;
}

/** The first phone number set (a work one when there was none), or every one taken away by null. */
function withFirstPhone(phones: MultiValue[], phone: string | null): MultiValue[] {
  if (phone === null) return [];
  if (phones.length === 0) return [{ value: phone, type: "work" }];
  return phones.map((p, i) => (i === 0 ? { ...p, value: phone } : p));
}

function withPrimaryEmail(emails: MultiValue[], email: string): MultiValue[] {
  if (emails.length === 0) return [{ value: email, type: "work", primary: true }];
  const primary = Math.max(
    0,
    emails.findIndex((e) => e.primary === true),
  );
  return emails.map((e, i) => (i === primary ? { ...e, value: email } : e));
}

/** Whether `c` changes `field` of `current` (a value sent back unchanged is no change; emails compare case-insensitively). */
export function idpOwnedChange(current: User, field: OwnedField, c: PersonChanges): boolean {
  switch (field) {
    case "givenName":
      return c.givenName !== undefined && c.givenName !== current.name.givenName;
    case "familyName":
      return c.familyName !== undefined && c.familyName !== current.name.familyName;
    case "email":
      return c.email !== undefined && c.email.trim().toLowerCase() !== primaryEmail(current)?.toLowerCase();
    case "userName":
      return c.userName !== undefined && c.userName !== current.userName;
    case "language":
      return c.language !== undefined && c.language !== current.preferredLanguage;
    case "title":
      return c.title !== undefined && c.title !== current.title;
    case "department":
      return c.department !== undefined && c.department !== current.enterprise.department;
    case "manager":
      return c.manager !== undefined && c.manager !== current.enterprise.managerId;
    default:
      return false;
  }
}
