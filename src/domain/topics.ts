/** Events the side modules react to; written with the change that caused them (see unit-of-work.ts). */
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
