import { type StrengthScore, strengthOf } from "./password-strength";

/** PASSWORD_MIN_LENGTH and PASSWORD_MIN_SCORE; the longest password accepted is fixed. */
export interface PasswordPolicy {
  minLength: number;
  /** The estimator's score a password needs (0-4, zxcvbn's scale). */
  minScore: StrengthScore;
}

export const PASSWORD_MAX_LENGTH = 128;

/** Who the password is for: it must not contain their userName or the local part of their addresses. */
export interface PasswordOwner {
  userName: string;
  emails: string[];
}

export type PasswordRule =
  | "too_short"
  | "too_long"
  | "control_character"
  | "one_character"
  | "contains_user_name"
  | "contains_email"
  | "guessable"
  | "same_as_current";

export interface PolicyViolation {
  rule: PasswordRule;
  detail: string;
}

/** Names shorter than this are too common a substring to refuse passwords for. */
const MIN_IDENTIFIER = 3;

/**
 * C0 and C1 controls (NUL included) and DEL, and UTF-16 surrogates standing alone (no character at all): they cannot
 * be typed, are cut or mangled by other systems (NUL ends a C string), and hash differently depending on who encodes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (passwords must not hold them).
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u;

const localPart = (address: string) => (address.includes("@") ? address.slice(0, address.lastIndexOf("@")) : null);

/** What an attacker aiming at this person would try first: their names and addresses, whole and in parts. */
function userInputsOf(owner: PasswordOwner): string[] {
  const whole = [owner.userName, ...owner.emails].map((s) => s.trim().toLowerCase()).filter(Boolean);
  const parts = whole.flatMap((s) => s.split(/[@._+-]+/)).filter((p) => p.length >= MIN_IDENTIFIER);
  return [...new Set([...whole, ...whole.map(localPart).filter((p): p is string => !!p), ...parts])];
}

/** The estimator's feedback as one detail: its warning, then its suggestions. */
function guessableDetail(warning: string | null, suggestions: string[]): string {
  const advice = [warning, ...suggestions].filter((s): s is string => !!s).map((s) => s.replace(/\.$/, ""));
  return `is too easy to guess${advice.length ? `: ${advice.join(". ")}` : ""}`;
}

/**
 * Every rule `password` breaks, in a fixed order (empty when it is acceptable). Lengths count characters (code points),
 * not bytes or UTF-16 units; comparisons ignore case. The strength estimator (zxcvbn-ts: common passwords, words,
 * names, keyboard patterns, repeats, dates) runs last and is told the person's names and addresses.
 */
export function passwordViolations(password: string, policy: PasswordPolicy, owner: PasswordOwner): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const chars = [...password];
  const lower = password.toLowerCase();
  if (chars.length < policy.minLength)
    out.push({ rule: "too_short", detail: `must be at least ${policy.minLength} characters long` });
  if (chars.length > PASSWORD_MAX_LENGTH)
    out.push({ rule: "too_long", detail: `must be at most ${PASSWORD_MAX_LENGTH} characters long` });
  if (CONTROL_CHARACTER.test(password))
    out.push({
      rule: "control_character",
      detail: "must not contain control characters (such as NUL or a line break) or invalid Unicode",
    });
  if (chars.length > 0 && new Set(chars).size === 1)
    out.push({ rule: "one_character", detail: "must not be one character repeated" });
  const contains = (value: string | null) =>
    value !== null && value.length >= MIN_IDENTIFIER && lower.includes(value.toLowerCase());
  if (contains(owner.userName) || contains(localPart(owner.userName))) {
    out.push({ rule: "contains_user_name", detail: "must not contain your userName" });
  }
  if (owner.emails.some((e) => contains(localPart(e.trim())))) {
    out.push({ rule: "contains_email", detail: "must not contain the name part of your email address" });
  }
  if (password.length > 0) {
    const strength = strengthOf(password, userInputsOf(owner));
    if (strength.score < policy.minScore)
      out.push({ rule: "guessable", detail: guessableDetail(strength.warning, strength.suggestions) });
  }
  return out;
}
