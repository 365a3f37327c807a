import type { Invitation } from "../invitations/invitation";
import { InvitationLinkError } from "./auth.errors";
import { SECRET_SHAPE } from "../secrets";

/** What a link check needs to know of the person it was sent to (null: the row is gone). */
export interface LinkHolder {
  active: boolean;
  removedAt: Date | null;
  enrolledAt: Date | null;
}

/**
 * Why the link of `inv` cannot be used now, or null when it can. Used wins over everything (the person did join with
 * it); a revoked invitation was replaced when a newer one exists for the person, else withdrawn; then the person's state
 * (gone, deactivated, joined some other way: only a `join` link; a `set_password` one sets a joined person's password,
 * decision 0143); then expiry (at `expiresAt` exactly, the link is expired).
 */
export function linkRefusal(
  inv: Invitation,
  holder: LinkHolder | null,
  newerExists: boolean,
  now: Date,
): InvitationLinkError | null {
  if (inv.consumedAt) return new InvitationLinkError("invitation_used", "This invitation link has already been used");
  if (inv.revokedAt && newerExists) {
    return new InvitationLinkError(
      "invitation_replaced",
      "This invitation link was replaced by a newer one: use the link of the latest invitation",
    );
  }
  if (inv.revokedAt || inv.failedAt)
    return new InvitationLinkError("invitation_revoked", "This invitation link has been withdrawn");
  if (!holder || holder.removedAt || !holder.active)
    return new InvitationLinkError(
      "invitation_revoked",
      "This invitation link has been withdrawn: the account is not active",
    );
  if (holder.enrolledAt && inv.purpose === "join")
    return new InvitationLinkError(
      "invitation_revoked",
      "This invitation link has been withdrawn: the account has already joined",
    );
  if (!inv.expiresAt || inv.expiresAt.getTime() <= now.getTime())
    return new InvitationLinkError("invitation_expired", "This invitation link has expired: ask for a new one");
  return null;
}

/** A token as the worker makes them (a kernel secret); anything else cannot match and is not looked up. */
export const TOKEN_SHAPE = SECRET_SHAPE;
