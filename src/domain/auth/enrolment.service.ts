import { hashSecret } from "../secrets";
import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../clock";
import { type Language, languageOf } from "../language";
import type { Ctx } from "../context";
import type { Invitation, InvitationPurpose } from "../invitations/invitation";
import type { InvitationsRepository } from "../invitations/invitations.repository";
import { hashPassword } from "../passwords";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import type { User } from "../users/user";
import type { UsersRepository } from "../users/users.repository";
import { InvitationLinkError } from "./auth.errors";
import { InvalidError } from "../errors";
import type { CredentialsRepository } from "../users/credentials.repository";
import { assertPasswordsAllowed, assertPolicy, personActor } from "./credentials.rules";
import { TOKEN_SHAPE, linkRefusal } from "./invitation-link.rules";
import type { PasswordPolicy } from "./password-policy.rules";

export interface EnrolmentOptions {
  clock: Clock;
  /** For a person whose language is unknown or neither en nor fr. */
  defaultLanguage: Language;
  policy: PasswordPolicy;
  platformName: string;
  ssoOnly: boolean;
}

/** What the page behind a valid link may show: nothing about the person beyond their own names. */
export interface LinkInfo {
  expiresAt: Date;
  givenName: string | null;
  userName: string;
  platform: string;
  space: string | null;
  /** The person's language, for a page shown to them. */
  language: Language;
  /** Created without names (a pasted address, an import): joining asks for them. */
  namesNeeded: boolean;
  /** join, or set_password: the one-time link of `roster admin invite` (decision 0143). */
  purpose: InvitationPurpose;
  /** The person joined already: the link sets a new password (only a set_password link gets this far). */
  joined: boolean;
}

const unknown = () => new InvitationLinkError("invitation_unknown", "This invitation link is not valid");

/** The names a person gives when joining: both required, trimmed, at most 256 characters. */
function namesGiven(given: { givenName?: string; familyName?: string }): { givenName: string; familyName: string } {
  const one = (field: "givenName" | "familyName") => {
    const v = given[field]?.trim() ?? "";
    if (v === "") throw new InvalidError(field, "is required: give your name to join");
    if (v.length > 256) throw new InvalidError(field, "must be at most 256 characters");
    return v;
  };
  return { givenName: one("givenName"), familyName: one("familyName") };
}

/**
 * Joining through an invitation link: checking the link, then setting the password with it. The link's token is
 * looked up by its SHA-256 (the only form stored); every token matching nothing gets the same answer.
 */
export class EnrolmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly opts: EnrolmentOptions,
  ) {}

  /** Whether the link can be used now (the refusal says why not). */
  async check(token: string): Promise<LinkInfo> {
    const { invitation, user } = await withDb(() => this.resolve(this.ds.manager, token));
    return {
      expiresAt: invitation.expiresAt!,
      givenName: user.name.givenName,
      userName: user.userName,
      platform: this.opts.platformName,
      space: invitation.space?.name ?? null,
      language: languageOf(user.preferredLanguage, user.locale, this.opts.defaultLanguage),
      namesNeeded: !user.name.givenName && !user.name.familyName,
      purpose: invitation.purpose,
      joined: user.lifecycle.enrolledAt !== null,
    };
  }

  /**
   * Sets the person's password with the link and consumes it. The checks run again under the locks (the person's row,
   * then the invitation's, the order a resend takes them), so of two uses of one link exactly one succeeds.
   */
  async accept(
    ctx: Ctx,
    token: string,
    password: string,
    given: { givenName?: string; familyName?: string } = {},
  ): Promise<{ id: string; userName: string; enrolledAt: Date }> {
    const seen = await withDb(() => this.resolve(this.ds.manager, token));
    // A person created without names gives them now (both required); names already known are not changed here.
    const names = !seen.user.name.givenName && !seen.user.name.familyName ? namesGiven(given) : undefined;
    assertPolicy("password", password, this.opts.policy, seen.user);
    const passwordHash = await hashPassword(password);
    const tokenHash = hashSecret(token);
    const actorCtx: Ctx = { ...ctx, door: "auth", actor: personActor(seen.user) };
    return unitOfWork(this.ds, actorCtx, async (tx) => {
      const user = await this.users.lockById(tx.manager, seen.user.id);
      const inv = await this.invitations.lockByTokenHash(tx.manager, tokenHash);
      if (!inv || inv.userId !== seen.user.id) throw unknown();
      await this.refuseUnusable(tx.manager, inv, user);
      const now = this.opts.clock.now();
      await this.invitations.consume(tx.manager, inv.id, now);
      const revoked = await this.invitations.revokeOpen(tx.manager, user!.id, now);
      const invitation = { before: null, after: inv.id };
      const revokedInvitations = revoked ? { revokedInvitations: { before: revoked, after: 0 } } : {};
      const joinedAt = user!.lifecycle.enrolledAt;
      if (joinedAt) {
        // A set-password link (only those pass refuseUnusable for someone who joined): a new password, no joining.
        await writeIn(tx, this.credentials.setWithLink(user!.id, passwordHash), {
          audits: [
            {
              action: "user.password_set",
              subject: { type: "user", id: user!.id },
              changes: { password: { before: "[hidden]", after: "[set]" }, invitation, ...revokedInvitations },
            },
          ],
          events: [],
        });
        return { id: user!.id, userName: user!.userName, enrolledAt: joinedAt };
      }
      await writeIn(tx, this.credentials.enrol(user!.id, passwordHash, now, names), {
        audits: [
          {
            action: "user.enrolled",
            subject: { type: "user", id: user!.id },
            changes: {
              enrolledAt: { before: null, after: now },
              password: { before: "[hidden]", after: "[set]" },
              invitation,
              ...revokedInvitations,
              ...(names
                ? {
                    givenName: { before: null, after: names.givenName },
                    familyName: { before: null, after: names.familyName },
                  }
                : {}),
            },
          },
        ],
        events: [{ topic: "user.enrolled", payload: { userId: user!.id, invitationId: inv.id } }],
      });
      return { id: user!.id, userName: user!.userName, enrolledAt: now };
    });
  }

  /** The invitation a token names and its person, when the link can be used; else the refusal. */
  private async resolve(m: EntityManager, token: string): Promise<{ invitation: Invitation; user: User }> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    if (!TOKEN_SHAPE.test(token)) throw unknown();
    const invitation = await this.invitations.findByTokenHash(m, hashSecret(token));
    if (!invitation) throw unknown();
    const user = await this.users.findLiveById(m, invitation.userId);
    await this.refuseUnusable(m, invitation, user);
    return { invitation, user: user! };
  }

  private async refuseUnusable(m: EntityManager, inv: Invitation, user: User | null): Promise<void> {
    const newer = inv.revokedAt ? (await this.invitations.latestOf(m, inv.userId))?.id !== inv.id : false;
    const holder = user && { active: user.active, removedAt: user.removedAt, enrolledAt: user.lifecycle.enrolledAt };
    const refusal = linkRefusal(inv, holder, newer, this.opts.clock.now());
    if (refusal) throw refusal;
  }
}
