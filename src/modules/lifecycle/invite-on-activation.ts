import type { InvitationsService } from "../../domain/invitations/invitations.service";
import type { OutboxJob } from "../../domain/outbox/outbox.queue";
import { type JobHandler, PermanentJobError } from "../../worker/outbox.worker";

/**
 * `user.reactivated`: a person an IdP created deactivated (a future hire, Entra's `"active": "False"`) and switches on
 * later is invited then, as the communication setting would have had them invited at creation.
 */
export class InviteOnActivation implements JobHandler {
  constructor(private readonly invitations: InvitationsService) {}

  async run(job: OutboxJob): Promise<void> {
    const { userId, requestId } = job.payload;
    if (typeof userId !== "string") throw new PermanentJobError(`${job.topic} without a userId`);
    await this.invitations.inviteOnActivation(userId, typeof requestId === "string" ? requestId : null);
  }
}
