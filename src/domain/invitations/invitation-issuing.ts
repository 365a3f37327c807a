// The worker's side of invitations: issuing a link, inviting on activation, revoking for leavers, sent, failed, revived.
import type { DataSource } from "typeorm";
import { type Ctx, type TxCtx, systemActor } from "../context";
import { RefusedError } from "../errors";
import { hashSecret } from "../secrets";
import { recordIn, unitOfWork, withDb, writeAlone } from "../unit-of-work";
import type { User } from "../users/user";
import type { UsersRepository } from "../users/users.repository";
import { type Invitation, isOpen, newInvitationToken, statusOf } from "./invitation";
import type { InvitationsRepository } from "./invitations.repository";
import type { InvitationsOptions, InvitationsService } from "./invitations.service";

/** An invitation ready to send: the link's secret exists only here (and in the message), never in the database. */
export interface IssuedInvitation {
  token: string;
  invitation: Invitation;
  user: User;
}

/** InvitationsService's worker side: what the outbox's invitation jobs and lifecycle events do. */
export class InvitationIssuing {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly opts: InvitationsOptions,
    /** Asking for an invitation (inviteOnActivation asks as a creation would have). */
    private readonly asking: Pick<InvitationsService, "requestIn" | "invitesAutomatically">,
  ) {}

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
      if (!(await this.asking.invitesAutomatically(user.source, tx.manager))) return false;
      try {
        await this.asking.requestIn(tx, user);
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
}
