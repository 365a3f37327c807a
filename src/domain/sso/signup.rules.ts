// Pure checks of self sign-up: the form's fields, and the department link's signature.
import { createHmac, timingSafeEqual } from "node:crypto";
import { InvalidError } from "../errors";
import { type UserProfile, emptyProfile } from "../users/user";
import { languageTag } from "./sso.rules";

/** What a person types into the sign-up form. Either an email, or a username and a phone number. */
export interface SignUpInput {
  givenName: string;
  familyName: string;
  email?: string;
  userName?: string;
  phone?: string;
  language?: string;
  /** The department (entity) chosen in the list; ignored when a department link carries one. */
  entityId?: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;
const USER_NAME = /^[A-Za-z0-9._-]{3,64}$/;
const PHONE = /^\+[1-9][0-9]{6,14}$/;

const name = (field: string, v: string) => {
  const t = v.trim();
  if (t === "" || t.length > 100) throw new InvalidError(field, "is required (at most 100 characters)");
  return t;
};

/** The profile of a person signing up; each bad field is an InvalidError naming it. */
export function signUpProfile(input: SignUpInput): UserProfile {
  const givenName = name("givenName", input.givenName);
  const familyName = name("familyName", input.familyName);
  const email = input.email?.trim().toLowerCase() || null;
  const phone = input.phone?.replace(/[\s.()-]/g, "") || null;
  const userName = input.userName?.trim() || null;
  if (email !== null && !EMAIL.test(email)) throw new InvalidError("email", "is not an email address");
  if (email === null) {
    if (userName === null) throw new InvalidError("email", "give an email, or a username and a phone number");
    if (!USER_NAME.test(userName))
      throw new InvalidError("userName", "3 to 64 letters, digits, dots, dashes or underscores");
    if (phone === null) throw new InvalidError("phone", "a phone number is needed to sign up without an email");
  }
  if (phone !== null && !PHONE.test(phone))
    throw new InvalidError("phone", "is not an international phone number (+33612345678)");
  const language = input.language ? languageTag(input.language) : null;
  if (input.language && language === null) throw new InvalidError("language", "is not a language tag");
  const profile = emptyProfile(email ?? (userName as string));
  profile.name.givenName = givenName;
  profile.name.familyName = familyName;
  profile.name.formatted = `${givenName} ${familyName}`;
  profile.displayName = profile.name.formatted;
  profile.preferredLanguage = language;
  if (email) profile.emails = [{ value: email, type: "work", primary: true }];
  if (phone) profile.phoneNumbers = [{ value: phone, type: "mobile", primary: true }];
  return profile;
}

/** The token of a department link: its id and an HMAC of it, so a link cannot be made up or altered. */
export function signLink(key: Buffer, id: string): string {
  return `${id}.${createHmac("sha256", key).update(`signup-link:${id}`).digest("base64url")}`;
}

/** The link id a token carries when its signature holds, else null. */
export function verifyLink(key: Buffer, token: string): string | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  const expected = Buffer.from(signLink(key, id));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}
