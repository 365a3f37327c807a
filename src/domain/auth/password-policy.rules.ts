import { COMMON_PASSWORDS } from "./common-passwords";

/** PASSWORD_MIN_LENGTH; the longest password accepted is fixed. */
export interface PasswordPolicy {
  minLength: number;
}

export const PASSWORD_MAX_LENGTH = 128;

/** Who the password is for: it must not contain their userName or the local part of their addresses. */
export interface PasswordOwner {
  userName: string;
  emails: string[];
}

export type PasswordRule = "too_short" | "too_long" | "one_character" | "contains_user_name" | "contains_email" | "common" | "same_as_current";

export interface PolicyViolation {
  rule: PasswordRule;
  detail: string;
}

/** Names shorter than this are too common a substring to refuse passwords for. */
const MIN_IDENTIFIER = 3;

const localPart = (address: string) => (address.includes("@") ? address.slice(0, address.lastIndexOf("@")) : null);

/**
 * Every rule `password` breaks, in a fixed order (empty when it is acceptable). Lengths count characters (code points),
 * not bytes or UTF-16 units; comparisons ignore case.
 */
export function passwordViolations(password: string, policy: PasswordPolicy, owner: PasswordOwner): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const chars = [...password];
  const lower = password.toLowerCase();
  if (chars.length < policy.minLength) out.push({ rule: "too_short", detail: `must be at least ${policy.minLength} characters long` });
  if (chars.length > PASSWORD_MAX_LENGTH) out.push({ rule: "too_long", detail: `must be at most ${PASSWORD_MAX_LENGTH} characters long` });
  if (chars.length > 0 && new Set(chars).size === 1) out.push({ rule: "one_character", detail: "must not be one character repeated" });
  const contains = (value: string | null) => value !== null && value.length >= MIN_IDENTIFIER && lower.includes(value.toLowerCase());
  if (contains(owner.userName) || contains(localPart(owner.userName))) {
    out.push({ rule: "contains_user_name", detail: "must not contain your userName" });
  }
  if (owner.emails.some((e) => contains(localPart(e.trim())))) {
    out.push({ rule: "contains_email", detail: "must not contain the name part of your email address" });
  }
  if (COMMON_PASSWORDS.has(lower)) out.push({ rule: "common", detail: "is one of the most common passwords" });
  return out;
}
