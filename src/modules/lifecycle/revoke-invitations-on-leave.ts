import type { InvitationsService } from "../../domain/invitations/invitations.service";
import type { OutboxJob } from "../../domain/outbox/outbox.queue";
import { type JobHandler, PermanentJobError } from "../../worker/outbox.worker";

/**
 * `user.deactivated` and `user.deleted`: someone who leaves loses the invitation links still open for them (access
 * gone, data kept), so the admin sees them `revoked` and a re-activation needs a fresh invitation.
 */
export class RevokeInvitationsOnLeave implements JobHandler {
  constructor(private readonly invitations: InvitationsService) {}

  async run(job: OutboxJob): Promise<void> {
    const { userId, requestId } = job.payload;
    if (typeof userId !== "string") throw new PermanentJobError(`${job.topic} without a userId`);
    await this.invitations.revokeForLeaver(userId, typeof requestId === "string" ? requestId : null);
  }
}
