import type { TxCtx } from "../context";
import type { InvitationsRepository } from "../invitations/invitations.repository";
import { writeIn } from "../unit-of-work";
import type { Credentials, CredentialsRepository } from "../users/credentials.repository";

/**
 * A person's password replaced by `passwordHash`, in the caller's unit: written only while the stored hash is still
 * the one the caller verified (false otherwise: changed or reset meanwhile). The first change is joining: enrolled_at
 * is set, open invitations are withdrawn, `user.enrolled` goes out. Shared by POST /auth/password and the provider's
 * one-time-password step.
 */
export async function changePasswordIn(
  tx: TxCtx,
  deps: { repo: CredentialsRepository; invitations: InvitationsRepository },
  cred: Credentials,
  passwordHash: string,
  now: Date,
): Promise<boolean> {
  const joins = cred.enrolledAt === null;
  const revoked = joins ? await deps.invitations.revokeOpen(tx.manager, cred.id, now) : 0;
  const row = await writeIn(tx, deps.repo.change(cred.id, cred.passwordHash!, passwordHash, now), {
    audits: [
      {
        action: "user.password_changed",
        subject: { type: "user", id: cred.id },
        changes: {
          password: { before: "[hidden]", after: "[changed]" },
          ...(cred.mustChange ? { passwordMustChange: { before: true, after: false } } : {}),
          ...(joins ? { enrolledAt: { before: null, after: now } } : {}),
          ...(revoked ? { revokedInvitations: { before: revoked, after: 0 } } : {}),
        },
      },
    ],
    events: joins ? [{ topic: "user.enrolled", payload: { userId: cred.id, via: "password_change" } }] : [],
  });
  return row !== null;
}
