import { hashSecret } from "../secrets";
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { assertMay } from "../users/person-access.rules";
import type { Clock } from "../clock";
import { type Ctx, type TxCtx, systemActor } from "../context";
import { NotFoundError, RefusedError } from "../errors";
import { OUTBOX_CHANNEL } from "../outbox/outbox.queue";
import { recordIn, unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import type { InviteOptions, User, UserSource } from "../users/user";
import { type CommunicationSetting, autoInvites } from "../settings/communication";
import type { UsersRepository } from "../users/users.repository";
import { type Invitation, type InvitationStatus, isOpen, newInvitationToken, statusOf } from "./invitation";
import { assertInvitable } from "./invitations.rules";
import { InvitationsRepository } from "./invitations.repository";

export interface InvitationsOptions {
  ssoOnly: boolean;
  ttlMs: number;
  clock: Clock;
  /** The communication setting in force: which channels are on, who is invited automatically. */
  communication(m?: EntityManager): Promise<CommunicationSetting>;
}

/** An invitation ready to send: the link's secret exists only here (and in the message), never in the database. */
export interface IssuedInvitation {
  token: string;
  invitation: Invitation;
  user: User;
}

export interface InvitationView extends Invitation {
  status: InvitationStatus;
}

/**
 * Invitations, the one place they are asked for (admin create or resend, mass invite, auto-invite of IdP-created
 * users) and issued (by the worker, which sends them). Asking writes the invitation row, revokes the person's open
 * ones, stamps invited_at, and writes the audit record and the `invitation.requested` job, all in one transaction.
 */
export class InvitationsService {
  private readonly repo = new InvitationsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly opts: InvitationsOptions,
  ) {}

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
    };
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

  /**
   * Worker side: gives the invitation a fresh link (replacing the token of any earlier attempt) valid for the TTL.
   * Null when it should not be sent any more: replaced, used, failed, or the person is gone, inactive or has joined.
   */
  async issue(invitationId: string, requestId: string | null): Promise<IssuedInvitation | null> {
    const ctx: Ctx = { actor: systemActor, door: "system", requestId };
    const inv = await withDb(() => this.repo.find(this.ds.manager, invitationId));
    if (!inv || !isOpen(inv)) return null;
    const user = await withDb(() => this.users.findLiveById(this.ds.manager, inv.userId));
    const now = this.opts.clock.now();
    if (!user?.active || user.lifecycle.enrolledAt) {
      await withDb(() => this.repo.revokeOpen(this.ds.manager, inv.userId, now));
      return null;
    }
    const token = newInvitationToken();
    const expiresAt = new Date(now.getTime() + this.opts.ttlMs);
    const issued = await writeAlone(this.ds, ctx, this.repo.issue(inv.id, hashSecret(token), now, expiresAt), {
      audits: [
        {
          action: "invitation.issued",
          subject: { type: "user", id: user.id },
          changes: {
            invitation: { before: null, after: inv.id },
            expiresAt: { before: inv.expiresAt, after: expiresAt },
          },
        },
      ],
      events: [],
    });
    return issued
      ? { token, user, invitation: { ...inv, issuedAt: now, expiresAt, attempts: inv.attempts + 1 } }
      : null;
  }

  /**
   * Worker side, after an activation: someone an IdP created deactivated (a future hire) and now switches on is invited
   * as they would have been at creation, when the communication setting says so and they were never invited nor
   * joined. Repeating it changes nothing (they are invited by then).
   */
  async inviteOnActivation(userId: string, requestId: string | null): Promise<boolean> {
    const ctx: Ctx = { actor: systemActor, door: "system", requestId };
    return unitOfWork(this.ds, ctx, async (tx) => {
      const user = await this.users.lockById(tx.manager, userId);
      if (!user || user.removedAt || !user.active || user.lifecycle.invitedAt || user.lifecycle.enrolledAt)
        return false;
      if (!(await this.invitesAutomatically(user.source, tx.manager))) return false;
      try {
        await this.requestIn(tx, user);
        return true;
      } catch (e) {
        if (e instanceof RefusedError) return false;
        throw e;
      }
    });
  }

  /**
   * Worker side, after a deactivation or removal: revokes the person's open invitations (audited), unless they are
   * active again by now (the event is old news). Repeating it changes nothing.
   */
  async revokeForLeaver(userId: string, requestId: string | null): Promise<number> {
    const ctx: Ctx = { actor: systemActor, door: "system", requestId };
    return unitOfWork(this.ds, ctx, async (tx) => {
      const user = await this.users.lockById(tx.manager, userId);
      if (!user || (user.active && !user.removedAt)) return 0;
      const revoked = await this.repo.revokeOpen(tx.manager, userId, this.opts.clock.now());
      if (revoked > 0) {
        await recordIn(tx, {
          audits: [
            {
              action: "invitation.revoked",
              subject: { type: "user", id: userId },
              changes: { openInvitations: { before: revoked, after: 0 } },
            },
          ],
          events: [],
        });
      }
      return revoked;
    });
  }

  /** Worker side: the message left on these channels. */
  async markSent(invitationId: string, userId: string, channels: string[], requestId: string | null): Promise<void> {
    const ctx: Ctx = { actor: systemActor, door: "system", requestId };
    await writeAlone(this.ds, ctx, this.repo.markSent(invitationId, channels, this.opts.clock.now()), {
      audits: [
        {
          action: "invitation.sent",
          subject: { type: "user", id: userId },
          changes: { channels: { before: [], after: channels } },
        },
      ],
      events: [],
    });
  }

  /** Worker side: delivery gave up (dead letter); the link is withdrawn and the admin sees `failed`. */
  async markFailed(invitationId: string, userId: string, failure: string, requestId: string | null): Promise<void> {
    const ctx: Ctx = { actor: systemActor, door: "system", requestId };
    await writeAlone(this.ds, ctx, this.repo.markFailed(invitationId, failure, this.opts.clock.now()), {
      audits: [
        {
          action: "invitation.failed",
          subject: { type: "user", id: userId },
          changes: { failure: { before: null, after: failure } },
        },
      ],
      events: [],
    });
  }

  /**
   * A dead `invitation.requested` job is being retried (in `tx`): its invitation, marked failed when the job died, is
   * opened again so the worker sends it. Only the person's latest invitation is: an older one was superseded by a
   * resend and stays as it is (its job then finds nothing to send). Says what became of the invitation.
   */
  async reviveIn(tx: TxCtx, invitationId: unknown): Promise<Record<string, unknown> | null> {
    if (typeof invitationId !== "string") return null;
    const inv = await this.repo.lock(tx.manager, invitationId);
    if (!inv) return { invitationId, status: "gone" };
    const now = this.opts.clock.now();
    if (!inv.failedAt || inv.consumedAt || inv.revokedAt) return { invitationId, status: statusOf(inv, now) };
    const latest = await this.repo.latestOf(tx.manager, inv.userId);
    if (latest?.id !== inv.id) return { invitationId, status: "failed", reason: "superseded" };
    await this.repo.revive(tx.manager, inv.id);
    await recordIn(tx, {
      audits: [
        {
          action: "invitation.revived",
          subject: { type: "user", id: inv.userId },
          changes: {
            invitation: { before: null, after: inv.id },
            failedAt: { before: inv.failedAt, after: null },
            failure: { before: inv.failure, after: null },
          },
        },
      ],
      events: [],
    });
    return { invitationId, status: "queued" };
  }

  view(inv: Invitation): InvitationView {
    return { ...inv, status: statusOf(inv, this.opts.clock.now()) };
  }
}
