import { randomInt } from "node:crypto";
import type { Actor } from "../context";
import { RefusedError } from "../errors";
import { WeakPasswordError } from "./auth.errors";
import {
  CONTROL_CHARACTER,
  type PasswordOwner,
  type PasswordPolicy,
  type PolicyViolation,
  passwordViolations,
} from "./password-policy.rules";

/** The person acting on their own account through the auth door. */
export const personActor = (u: { id: string; userName: string }): Actor => ({
  type: "user",
  id: u.id,
  name: u.userName,
});

/** Logins are userNames or addresses: never longer than this, never with control characters (as passwords). */
export const LOGIN_MAX_LENGTH = 320;

export const canNameSomeone = (login: string): boolean =>
  login.length <= LOGIN_MAX_LENGTH && !CONTROL_CHARACTER.test(login);

/** Under SSO_ONLY people sign in with their IdP only: Roster sets and checks no password. */
export function assertPasswordsAllowed(ssoOnly: boolean): void {
  if (ssoOnly) {
    throw new RefusedError(
      "sso_only",
      "forbidden",
      "People sign in with single sign-on here (SSO_ONLY): Roster sets and checks no password",
    );
  }
}

/** The person a password is for, as the policy sees them (any user-shaped record). */
export function ownerOf(u: { userName: string; emails: ({ value?: unknown } | string)[] }): PasswordOwner {
  const emails = u.emails
    .map((e) => (typeof e === "string" ? e : typeof e.value === "string" ? e.value : ""))
    .filter(Boolean);
  return { userName: u.userName, emails };
}

/** Refuses `password` (400 weak_password on `field`) with every rule it breaks; `current` adds "differs from it". */
export function assertPolicy(
  field: string,
  password: string,
  policy: PasswordPolicy,
  owner: Parameters<typeof ownerOf>[0],
  current?: string,
): void {
  const violations: PolicyViolation[] = passwordViolations(password, policy, ownerOf(owner));
  if (current !== undefined && password === current)
    violations.push({ rule: "same_as_current", detail: "must differ from the current password" });
  if (violations.length) throw new WeakPasswordError(field, violations);
}

/** Letters and digits without look-alikes (0/O, 1/l/I), for passwords read off a screen and typed once. */
const ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A one-time password: groups of five (at least four, about 116 bits, and as long as the policy wants), one it accepts. */
export function generatePassword(policy: PasswordPolicy, owner: Parameters<typeof ownerOf>[0]): string {
  const count = Math.max(4, Math.ceil((policy.minLength + 1) / 6));
  for (;;) {
    const password = Array.from({ length: count }, () =>
      Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
    ).join("-");
    if (passwordViolations(password, policy, ownerOf(owner)).length === 0) return password;
  }
}
