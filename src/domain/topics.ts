/** Events a change raises; written with the change that caused them (see unit-of-work.ts). */
export type OutboxTopic =
  | "user.created"
  | "user.updated"
  | "user.deactivated"
  | "user.reactivated"
  | "user.deleted"
  | "group.created"
  | "group.updated"
  | "group.deleted"
  | "membership.added"
  | "membership.removed"
  | "invitation.requested"
  | "user.enrolled"
  | "user.password_reset"
  | "entity.created"
  | "entity.updated"
  | "entity.deleted"
  | "settings.updated";

/**
 * The topics a side module consumes: the only ones written to the outbox (decision 0156). The outbox is the side
 * modules' job queue, read only by the worker's outboxHandlers (test/unit/consumed-topics.test.ts holds the two
 * equal); the platform's change feed and webhooks read `events`, the audit log `audit_log`, so a row of any other
 * topic would be inserted, indexed and pruned unread. Nothing else reads the outbox: the OIDC session ends are a
 * reaction of user.deactivated/user.deleted (OnLeave), settings changes reach other processes by NOTIFY.
 */
export const CONSUMED_TOPICS = [
  "user.deactivated",
  "user.deleted",
  "user.reactivated",
  "invitation.requested",
] as const satisfies readonly OutboxTopic[];
export type ConsumedTopic = (typeof CONSUMED_TOPICS)[number];

const CONSUMED = new Set<string>(CONSUMED_TOPICS);
export const isConsumedTopic = (t: string): t is ConsumedTopic => CONSUMED.has(t);
