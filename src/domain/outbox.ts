/** Events the side modules react to; written with the change that caused them (see effects.ts). */
export type OutboxTopic =
  | "user.created"
  | "user.updated"
  | "user.deactivated"
  | "user.reactivated"
  | "user.deleted"
  | "invitation.requested";
