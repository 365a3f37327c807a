import { EventsService } from "../domain/events/events.service";
import type { InvitationsService } from "../domain/invitations/invitations.service";
import { DeadLettersService } from "../domain/outbox/dead-letters.service";
import { OutboxQueue } from "../domain/outbox/outbox.queue";
import { DeliveryQueue } from "../domain/webhooks/delivery-queue";
import { WebhooksService } from "../domain/webhooks/webhooks.service";
import type { Foundation } from "./foundation";

/** The outbox, the platform's feed of changes, and webhooks. */
export interface EventsServices {
  // outbox
  outboxQueue: OutboxQueue;
  deadLetters: DeadLettersService;
  // events: the platform's feed of changes
  events: EventsService;
  // webhooks: endpoints (admin door) and their deliveries (worker)
  webhooks: WebhooksService;
  deliveryQueue: DeliveryQueue;
}

export function buildEvents(
  { ds, cfg, box }: Foundation,
  { invitations }: { invitations: InvitationsService },
): EventsServices {
  return {
    outboxQueue: new OutboxQueue(ds),
    deadLetters: new DeadLettersService(ds, {
      "invitation.requested": (tx, job) => invitations.reviveIn(tx, job.invitationId),
    }),
    events: new EventsService(ds),
    webhooks: new WebhooksService(ds, {
      allowPrivate: cfg.ALLOW_PRIVATE_TARGETS,
      overlapMs: cfg.WEBHOOK_SECRET_OVERLAP,
      box: () => box,
    }),
    deliveryQueue: new DeliveryQueue(ds, () => box),
  };
}
