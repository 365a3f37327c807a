import { RefusedError } from "../errors";
import { type User, primaryValue } from "../users/user";

/** The channels an invitation may go out on (the communication setting). */
export interface Channels {
  email: boolean;
  sms: boolean;
}

/**
 * Whether `user` may be sent an invitation now, on the channels that are on; the refusal names why, with a stable code.
 * Someone is reachable by email when email is on and they have an address, by SMS when SMS is on and they have a phone.
 */
export function assertInvitable(user: User, ssoOnly: boolean, channels: Channels): void {
  if (ssoOnly) {
    throw new RefusedError(
      "sso_only",
      "forbidden",
      "People sign in with single sign-on here (SSO_ONLY): there is no password to set, so no invitation link is sent",
    );
  }
  if (user.lifecycle.enrolledAt) {
    throw new RefusedError(
      "already_joined",
      "conflict",
      `${user.userName} has already joined: an invitation cannot be sent again`,
    );
  }
  if (!user.active) {
    throw new RefusedError(
      "user_inactive",
      "conflict",
      `${user.userName} is deactivated: activate the account before inviting them`,
    );
  }
  if (!channels.email && !channels.sms) {
    throw new RefusedError(
      "channels_off",
      "conflict",
      "Invitations are off: both channels (email and SMS) are turned off in the communication setting",
    );
  }
  if (reachableOn(user, channels).length > 0) return;
  if (!hasEmail(user) && !hasPhone(user)) {
    throw new RefusedError(
      "no_contact",
      "conflict",
      `${user.userName} has no email address or phone number to send an invitation to`,
      "emails",
    );
  }
  if (!hasEmail(user)) {
    throw new RefusedError(
      "no_contact",
      "conflict",
      `${user.userName} has no email address, and SMS is turned off in the communication setting`,
      "emails",
    );
  }
  throw new RefusedError(
    "no_contact",
    "conflict",
    `${user.userName} has no phone number, and email is turned off in the communication setting`,
    "phoneNumbers",
  );
}

/** Where an invitation to `user` goes with these channels on: email and/or SMS (both when both are on and they have both). */
export function reachableOn(user: User, channels: Channels): { channel: "email" | "sms"; to: string }[] {
  const email = channels.email ? emailOf(user) : null;
  const phone = channels.sms ? phoneOf(user) : null;
  return [
    ...(email ? [{ channel: "email" as const, to: email }] : []),
    ...(phone ? [{ channel: "sms" as const, to: phone }] : []),
  ];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Where the person's mail goes: the primary email, else the first, else a userName that is an address (IdPs often send only that). */
export const emailOf = (u: User): string | null =>
  primaryValue(u.emails) ?? (EMAIL.test(u.userName) ? u.userName : null);
export const phoneOf = (u: User): string | null => primaryValue(u.phoneNumbers);
const hasEmail = (u: User) => emailOf(u) !== null;
const hasPhone = (u: User) => phoneOf(u) !== null;
