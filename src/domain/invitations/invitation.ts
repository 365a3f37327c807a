import { newSecret } from "../secrets";

/**
 * queued: asked for, not sent yet; pending: sent, link valid; expired: sent, link past its TTL; accepted: the person
 * joined with it; revoked: replaced by a newer invitation (or cancelled); failed: could not be delivered.
 */
export type InvitationStatus = "queued" | "pending" | "expired" | "accepted" | "revoked" | "failed";

/**
 * join: the invitation to join (refused once the person has joined); set_password: a one-time set-password link
 * (`roster admin invite`), usable by a person who joined already too (decision 0143).
 */
export type InvitationPurpose = "join" | "set_password";

export interface Invitation {
  id: string;
  userId: string;
  requestedAt: Date;
  requestedBy: string | null;
  door: string;
  space: { groupId: string | null; name: string } | null;
  issuedAt: Date | null;
  expiresAt: Date | null;
  sentAt: Date | null;
  channels: string[];
  attempts: number;
  consumedAt: Date | null;
  revokedAt: Date | null;
  failedAt: Date | null;
  failure: string | null;
  purpose: InvitationPurpose;
}

/** Not used, revoked or failed: the invitation may still be sent, or its link used. */
export const isOpen = (i: Invitation): boolean => !i.consumedAt && !i.revokedAt && !i.failedAt;

export function statusOf(i: Invitation, now: Date): InvitationStatus {
  if (i.consumedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  if (i.failedAt) return "failed";
  if (!i.expiresAt || !i.sentAt) return "queued";
  return i.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

/** A fresh link secret: 256 random bits, url-safe. Only its hash is stored. */
export const newInvitationToken = (): string => newSecret();
