import { RefusedError } from "../errors";
import { User } from "../users/user";

/** Whether `user` may be sent an invitation now; the refusal names why, with a stable code. */
export function assertInvitable(user: User, ssoOnly: boolean): void {
  if (ssoOnly) {
    throw new RefusedError("sso_only", "forbidden", "People sign in with single sign-on here (SSO_ONLY): there is no password to set, so no invitation link is sent");
  }
  if (user.lifecycle.enrolledAt) {
    throw new RefusedError("already_joined", "conflict", `${user.userName} has already joined: an invitation cannot be sent again`);
  }
  if (!user.active) {
    throw new RefusedError("user_inactive", "conflict", `${user.userName} is deactivated: activate the account before inviting them`);
  }
  if (!hasEmail(user) && !hasPhone(user)) {
    throw new RefusedError("no_contact", "conflict", `${user.userName} has no email address or phone number to send an invitation to`, "emails");
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Where the person's mail goes: the primary email, else the first, else a userName that is an address (IdPs often send only that). */
export const emailOf = (u: User): string | null => pick(u.emails) ?? (EMAIL.test(u.userName) ? u.userName : null);
export const phoneOf = (u: User): string | null => pick(u.phoneNumbers);
const hasEmail = (u: User) => emailOf(u) !== null;
const hasPhone = (u: User) => phoneOf(u) !== null;

/** The primary value, else the first one. */
function pick(values: { value?: string; primary?: boolean }[]): string | null {
  const usable = values.filter((v) => typeof v.value === "string" && v.value.trim() !== "");
  return (usable.find((v) => v.primary) ?? usable[0])?.value?.trim() ?? null;
}
