import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../clock";
import type { Ctx } from "../context";
import { hashPassword } from "../passwords";
import { unitOfWork } from "../unit-of-work";
import type { InvitationsRepository } from "../invitations/invitations.repository";
import type { CredentialsRepository } from "../users/credentials.repository";
import { AccessRefusedError } from "./access-errors";
import { InvalidCredentialsError } from "./auth.errors";
import type { CredentialsService } from "./credentials.service";
import { matches } from "./credentials.service";
import { changePasswordIn } from "./password-change";
import { assertPasswordsAllowed, assertPolicy, personActor } from "./credentials.rules";
import type { PasswordPolicy } from "./password-policy.rules";

/** Who a password sign-in identified, for the provider to finish with. */
export interface PasswordIdentified {
  id: string;
  userName: string;
  email: string | null;
  /** A one-time password: it must be changed before the sign-in finishes (changeOneTime). */
  mustChange: boolean;
  /** Names the password just verified without revealing it: changeOneTime writes only while it still holds. */
  fingerprint: string;
}

const fingerprintOf = (hash: string) => createHash("sha256").update(hash).digest("base64url");

/**
 * Password sign-in on the OpenID Provider's page: who a login and password identify (every failure the same
 * InvalidCredentialsError after the same work: one hash, against a dummy when no one matches), a deactivated person
 * told so once their password is right, and the change of a one-time password before the sign-in finishes.
 * Recording the attempt is the door's (users' recordSignInIn, through CompleteSignIn on success).
 */
export class PasswordSignInService {
  constructor(
    private readonly ds: DataSource,
    private readonly credentials: CredentialsService,
    private readonly repo: CredentialsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly opts: { clock: Clock; policy: PasswordPolicy; ssoOnly: boolean },
  ) {}

  async identify(login: string, password: string): Promise<PasswordIdentified> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const cred = await this.credentials.findByLogin(login.trim());
    const ok = await matches(password, cred?.passwordHash ?? null);
    if (!cred?.passwordHash || !ok) throw new InvalidCredentialsError();
    if (!cred.active) throw new AccessRefusedError("user_deactivated");
    return {
      id: cred.id,
      userName: cred.userName,
      email: cred.emails[0] ?? null,
      mustChange: cred.mustChange,
      fingerprint: fingerprintOf(cred.passwordHash),
    };
  }

  /**
   * Replaces the one-time password verified moments ago (`fingerprint`) by the person's own: refused by the policy
   * like any new password; written only while the one-time password is still the one verified and the person active.
   */
  async changeOneTime(ctx: Ctx, login: string, fingerprint: string, next: string): Promise<void> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const cred = await this.credentials.findByLogin(login.trim());
    if (!cred?.passwordHash || !cred.active || fingerprintOf(cred.passwordHash) !== fingerprint)
      throw new AccessRefusedError("login_expired", "the one-time password changed meanwhile");
    assertPolicy("newPassword", next, this.opts.policy, cred);
    const passwordHash = await hashPassword(next);
    const now = this.opts.clock.now();
    await unitOfWork(this.ds, { ...ctx, door: "auth", actor: personActor(cred) }, async (tx) => {
      // the first change of a one-time password is joining, as through POST /auth/password
      if (!(await changePasswordIn(tx, { repo: this.repo, invitations: this.invitations }, cred, passwordHash, now)))
        throw new AccessRefusedError("login_expired", "the one-time password changed meanwhile");
    });
  }
}
