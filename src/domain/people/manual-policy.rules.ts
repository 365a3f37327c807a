import { InvalidError } from "../errors";

/**
 * How people created or edited by hand (the admin door) must look. The IdP's SCIM input is not held to it: the IdP is
 * the source of truth. Defaults are the platform's published rules (ADMIN_USERNAME_POLICY, ADMIN_NAME_*).
 */
export interface ManualPolicy {
  /** first.last: ASCII letters, one dot, an optional number; generated from the names when not given.
   *  email: the userName is an email address, the person's own when not given. free: anything; the email when not given. */
  userNames: "first.last" | "email" | "free";
  /** Shortest given and family name; 0 makes names optional. */
  nameMinLength: number;
  nameDigits: boolean;
}

export const PUBLISHED_POLICY: ManualPolicy = { userNames: "first.last", nameMinLength: 3, nameDigits: false };

const FIRST_LAST = /^[a-z]+\.[a-z]+[0-9]*$/i;
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\]+$/;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;
// Letters NFD does not split into a base letter and a mark.
const FOLDS: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };

/** An email address, trimmed; the same check for every manual door (single create, batch line, edit). */
export function checkEmail(email: string, field = "email"): string {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 254) throw new InvalidError(field, `'${email}' is not an email address`);
  return trimmed;
}

/** A given or family name under the policy; null when names are optional and none was given. */
export function checkName(
  policy: ManualPolicy,
  field: "givenName" | "familyName",
  value: string | null | undefined,
): string | null {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") {
    if (policy.nameMinLength > 0) throw new InvalidError(field, "is required");
    return null;
  }
  if ([...trimmed].length < policy.nameMinLength)
    throw new InvalidError(field, `must be at least ${policy.nameMinLength} characters`);
  if (!policy.nameDigits && /\p{Nd}/u.test(trimmed)) throw new InvalidError(field, "must not contain digits");
  if (trimmed.length > 256) throw new InvalidError(field, "must be at most 256 characters");
  return trimmed;
}

/** A userName given by hand, under the policy. */
export function checkUserName(policy: ManualPolicy, userName: string): string {
  const trimmed = userName.trim();
  if (policy.userNames === "first.last" && !FIRST_LAST.test(trimmed)) {
    throw new InvalidError(
      "userName",
      "must look like first.last: letters a-z without accents or special characters, one dot, an optional number",
    );
  }
  if (policy.userNames === "email") checkEmail(trimmed, "userName");
  return trimmed;
}

/** A language tag (BCP 47 shape, e.g. `fr`, `en-GB`); null means automatic (the IdP's locale, else the browser's). */
export function checkLanguage(language: string | null): string | null {
  if (language === null) return null;
  if (!LANGUAGE.test(language))
    throw new InvalidError("language", `'${language}' is not a language tag such as fr or en-GB`);
  return language;
}

/** ASCII letters only: accents stripped, other characters dropped (`Élodie-Anne` -> `elodieanne`). */
export function asciiLetters(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/./gu, (c) => FOLDS[c] ?? c)
    .replace(/[^a-z]/g, "");
}

/** The userName policy first.last generates from the names, before any collision suffix. */
export function firstLastBase(givenName: string | null, familyName: string | null): string {
  const first = asciiLetters(givenName ?? "");
  const last = asciiLetters(familyName ?? "");
  if (!first || !last)
    throw new InvalidError("userName", "cannot be generated from these names (no letters a-z left): give one");
  return `${first}.${last}`;
}

/** Candidates in order: base, base2, base3, ... (`from` is the first number tried after the base itself). */
export function userNameCandidates(base: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (from + i === 1 ? base : `${base}${from + i}`));
}

/** Names read from an address like `ada.lovelace@…` (two parts of letters), for a batch line that gives none. */
export function namesFromEmail(email: string): { givenName: string; familyName: string } | null {
  const parts = email.split("@")[0].split(".");
  if (parts.length !== 2 || !parts.every((p) => /^\p{L}+(-\p{L}+)*$/u.test(p))) return null;
  const cap = (p: string) =>
    p
      .split("-")
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
      .join("-");
  return { givenName: cap(parts[0]), familyName: cap(parts[1]) };
}
