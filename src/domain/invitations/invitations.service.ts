import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { assertMay } from "../users/person-access.rules";
import type { Clock } from "../clock";
import type { Ctx, TxCtx } from "../context";
import { NotFoundError } from "../errors";
import { OUTBOX_CHANNEL } from "../outbox/outbox.queue";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import type { InviteOptions, User, UserSource } from "../users/user";
import { type CommunicationSetting, autoInvites } from "../settings/communication";
import type { UsersRepository } from "../users/users.repository";
import { hashSecret } from "../secrets";
import { type Invitation, type InvitationStatus, newInvitationToken, statusOf } from "./invitation";
import { InvitationIssuing, type IssuedInvitation } from "./invitation-issuing";
import { assertInvitable } from "./invitations.rules";
import { InvitationsRepository } from "./invitations.repository";

export interface InvitationsOptions {
  ssoOnly: boolean;
  ttlMs: number;
  clock: Clock;
  /** The communication setting in force: which channels are on, who is invited automatically. */
  communication(m?: EntityManager): Promise<CommunicationSetting>;
}

export interface InvitationView extends Invitation {
  status: InvitationStatus;
}

/**
 * Invitations, the one place they are asked for (admin create or resend, mass invite, auto-invite of IdP-created
 * users) and issued (by the worker, which sends them: invitation-issuing.ts). Asking writes the invitation row, revokes the person's open
 * ones, stamps invited_at, and writes the audit record and the `invitation.requested` job, all in one transaction.
 */
export class InvitationsService {
  private readonly repo = new InvitationsRepository();
  private readonly issuing: InvitationIssuing;

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly opts: InvitationsOptions,
  ) {
    this.issuing = new InvitationIssuing(ds, this.repo, users, opts, this);
  }

  get clock(): Clock {
    return this.opts.clock;
  }

  /**
   * Whether people created from `source` are invited with their creation: the communication setting says so for IdP
   * (scim) and CSV sources, never on an SSO-only platform (no password to set), never for people an admin creates.
   */
  async invitesAutomatically(source: UserSource, m?: EntityManager): Promise<boolean> {
    return !this.opts.ssoOnly && autoInvites(await this.opts.communication(m), source);
  }

  /** Sends or resends the invitation of a person the actor may invite (person-access.rules). */
  async request(ctx: Ctx, userId: string, opts: InviteOptions = {}): Promise<InvitationView> {
    const inv = await unitOfWork(this.ds, ctx, async (tx) => {
      const user = await this.users.lockById(tx.manager, userId);
      if (!user || user.removedAt) throw new NotFoundError("User", userId);
      assertMay(ctx, "invite", user);
      return this.requestIn(tx, user, opts);
    });
    return this.view(inv);
  }

  /** The same inside the caller's transaction, with `user` locked or just written by it; workers hear of it on commit (NOTIFY). */
  async requestIn(tx: TxCtx, user: User, opts: InviteOptions = {}): Promise<Invitation> {
    assertInvitable(user, this.opts.ssoOnly, (await this.opts.communication(tx.manager)).channels);
    const now = this.opts.clock.now();
    const id = randomUUID();
    const row = { id, userId: user.id, requestedAt: now, requestedBy: tx.actor.name, door: tx.door, space: opts.space };
    const revoked = await this.repo.replaceOpen(tx.manager, row);
    const changes: Record<string, unknown> = { invitedAt: { before: user.lifecycle.invitedAt, after: now } };
    if (opts.space) changes.space = { before: null, after: opts.space.name };
    await writeIn(tx, this.users.markInvited(user.id, now), {
      audits: [
        {
          action: "user.invited",
          subject: { type: "user", id: user.id },
          changes: { ...changes, ...(revoked ? { revokedInvitations: { before: revoked, after: 0 } } : {}) },
        },
      ],
      events: [{ topic: "invitation.requested", payload: { invitationId: id, userId: user.id } }],
    });
    await tx.manager.query("SELECT pg_notify($1, 'invitation.requested')", [OUTBOX_CHANNEL]);
    return {
      ...row,
      space: opts.space ?? null,
      issuedAt: null,
      expiresAt: null,
      sentAt: null,
      channels: [],
      attempts: 0,
      consumedAt: null,
      revokedAt: null,
      failedAt: null,
      failure: null,
      purpose: "join",
    };
  }

  /**
   * Inside the caller's transaction, `user` locked or just written by it: a one-time set-password link (decision 0143)
   * handed to the caller instead of sent (the CLI prints it), valid `ttlMs`; the person's open invitations are revoked.
   * The token exists only in the answer; the row keeps its hash. Audited as `user.invited` with the purpose.
   */
  async handOverIn(tx: TxCtx, user: User, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    if (this.opts.ssoOnly) assertInvitable(user, true, { email: true, sms: true });
    const now = this.opts.clock.now();
    const token = newInvitationToken();
    const expiresAt = new Date(now.getTime() + ttlMs);
    const id = randomUUID();
    const revoked = await this.repo.insertIssued(
      tx.manager,
      {
        id,
        userId: user.id,
        at: now,
        requestedBy: tx.actor.name,
        door: tx.door,
        tokenHash: hashSecret(token),
        expiresAt,
      },
      "set_password",
    );
    await writeIn(tx, this.users.markInvited(user.id, now), {
      audits: [
        {
          action: "user.invited",
          subject: { type: "user", id: user.id },
          changes: {
            invitedAt: { before: user.lifecycle.invitedAt, after: now },
            invitation: { before: null, after: id },
            purpose: { before: null, after: "set_password" },
            expiresAt: { before: null, after: expiresAt },
            ...(revoked ? { revokedInvitations: { before: revoked, after: 0 } } : {}),
          },
        },
      ],
      events: [],
    });
    return { token, expiresAt };
  }

  /** Inside the caller's transaction: the person's latest invitation row. */
  latestIn(tx: TxCtx, userId: string): Promise<Invitation | null> {
    return this.repo.latestOf(tx.manager, userId);
  }

  /** The person's latest invitation with its status, or null when none was ever asked for. */
  async latest(ctx: Ctx, userId: string): Promise<InvitationView | null> {
    const user = await withDb(() => this.users.findLiveById(this.ds.manager, userId));
    if (!user) throw new NotFoundError("User", userId);
    assertMay(ctx, "read", user);
    return this.latestOf(userId);
  }

  /** The latest invitation of a person the caller already reached (a person view), or null. */
  async latestOf(userId: string): Promise<InvitationView | null> {
    const inv = await withDb(() => this.repo.latestOf(this.ds.manager, userId));
    return inv ? this.view(inv) : null;
  }

  /** Worker side: a fresh link for the invitation, or null when it should not be sent any more (InvitationIssuing). */
  issue(invitationId: string, requestId: string | null): Promise<IssuedInvitation | null> {
    return this.issuing.issue(invitationId, requestId);
  }

  /** Worker side, after an activation: invites a future hire as their creation would have. */
  inviteOnActivation(userId: string, requestId: string | null): Promise<boolean> {
    return this.issuing.inviteOnActivation(userId, requestId);
  }

  /** Worker side, after a deactivation or removal: revokes the person's open invitations. */
  revokeForLeaver(userId: string, requestId: string | null): Promise<number> {
    return this.issuing.revokeForLeaver(userId, requestId);
  }

  /** Worker side: the message left on these channels. */
  markSent(invitationId: string, userId: string, channels: string[], requestId: string | null): Promise<void> {
    return this.issuing.markSent(invitationId, userId, channels, requestId);
  }

  /** Worker side: delivery gave up (dead letter); the link is withdrawn and the admin sees `failed`. */
  markFailed(invitationId: string, userId: string, failure: string, requestId: string | null): Promise<void> {
    return this.issuing.markFailed(invitationId, userId, failure, requestId);
  }

  /** A dead `invitation.requested` job is being retried (in `tx`): its invitation is opened again if still latest. */
  reviveIn(tx: TxCtx, invitationId: unknown): Promise<Record<string, unknown> | null> {
    return this.issuing.reviveIn(tx, invitationId);
  }

  view(inv: Invitation): InvitationView {
    return { ...inv, status: statusOf(inv, this.opts.clock.now()) };
  }
}
