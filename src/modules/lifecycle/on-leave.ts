import type { OutboxJob } from "../../domain/outbox/outbox.queue";
import type { JobHandler } from "../../worker/outbox.worker";

/**
 * `user.deactivated` (every door's leave, a SCIM DELETE of an active person included) and `user.deleted`: everything
 * that ends a leaver's access, in order, as one job (decision 0104). Each reaction is idempotent: a failed job is run
 * again whole. Today: the open invitation links (RevokeInvitationsOnLeave), then the OpenID Provider's sessions,
 * grants and refresh tokens, with a back-channel logout to the clients that asked for one (EndSessionsOnLeave).
 */
export class OnLeave implements JobHandler {
  constructor(private readonly reactions: readonly JobHandler[]) {}

  async run(job: OutboxJob): Promise<void> {
    for (const reaction of this.reactions) await reaction.run(job);
  }
}
