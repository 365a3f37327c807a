import { logger } from "../../log";
import type { IssuedInvitation } from "../../domain/invitations/invitation-issuing";
import type { InvitationsService } from "../../domain/invitations/invitations.service";
import { type Channels, reachableOn } from "../../domain/invitations/invitations.rules";
import type { OutboxJob } from "../../domain/outbox/outbox.queue";
import { type JobHandler, PermanentJobError } from "../../worker/outbox.worker";
import { MailRejectedError, type Mailer } from "../mail/mailer";
import type { SmsProvider } from "../sms/sms";
import { type Language, languageOf } from "../../domain/language";
import { type InvitationContent, invitationEmail, invitationSms } from "./templates";

export interface DeliveryOptions {
  platformName: string;
  /** The link a person follows, for a token. */
  linkFor(token: string): string;
  defaultLanguage: Language;
  /** Which channels are on now (the communication setting). */
  channels(): Promise<Channels>;
}

/**
 * The `invitation.requested` job: gives the invitation a fresh link, sends it by email and/or SMS (both when both
 * are on and the person has both), then records what was sent. A crash after sending runs it again: the person
 * then gets a second message whose link replaces the first one's.
 */
export class InvitationDelivery implements JobHandler {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly mailer: Mailer,
    private readonly sms: SmsProvider,
    private readonly opts: DeliveryOptions,
  ) {}

  async run(job: OutboxJob): Promise<void> {
    const { invitationId } = job.payload;
    if (typeof invitationId !== "string") throw new PermanentJobError("invitation.requested without an invitationId");
    const requestId = typeof job.payload.requestId === "string" ? job.payload.requestId : null;
    const issued = await this.invitations.issue(invitationId, requestId);
    if (!issued) return;
    const targets = reachableOn(issued.user, await this.opts.channels());
    const email = targets.find((x) => x.channel === "email")?.to;
    const phone = targets.find((x) => x.channel === "sms")?.to;
    if (!email && !phone)
      throw new PermanentJobError("no_channel: the person has no email address or phone number on an enabled channel");
    const content = this.contentOf(issued);
    const channels: string[] = [];
    if (email) {
      try {
        await this.mailer.send({ to: email, ...invitationEmail(content), language: content.language });
      } catch (e) {
        if (e instanceof MailRejectedError) throw new PermanentJobError(e.message);
        throw e;
      }
      channels.push("email");
    }
    if (phone) {
      await this.sms.send(phone, invitationSms(content));
      channels.push("sms");
    }
    if (this.mailer.kind === "dev-mailbox")
      logger.info(
        { userId: issued.user.id, link: content.link },
        `invitation for ${issued.user.userName}: ${content.link}`,
      );
    await this.invitations.markSent(invitationId, issued.user.id, channels, requestId);
  }

  async onDead(job: OutboxJob, error: string): Promise<void> {
    const { invitationId, userId } = job.payload;
    if (typeof invitationId !== "string" || typeof userId !== "string") return;
    await this.invitations.markFailed(
      invitationId,
      userId,
      error,
      typeof job.payload.requestId === "string" ? job.payload.requestId : null,
    );
  }

  private contentOf({ token, user, invitation }: IssuedInvitation): InvitationContent {
    return {
      platform: this.opts.platformName,
      givenName: user.name.givenName,
      link: this.opts.linkFor(token),
      expiresAt: invitation.expiresAt!,
      timezone: user.timezone,
      space: invitation.space?.name ?? null,
      language: languageOf(user.preferredLanguage, user.locale, this.opts.defaultLanguage),
    };
  }
}
