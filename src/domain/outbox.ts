import { OutboxMessageRow } from "../db/entities/outbox-message.entity";
import { TxCtx } from "./context";

export type OutboxTopic =
  | "user.created"
  | "user.updated"
  | "user.deactivated"
  | "user.reactivated"
  | "user.deleted";

/** Queues an event for the side modules, committed (or rolled back) with the change that caused it. */
export async function enqueue(tx: TxCtx, topic: OutboxTopic, payload: Record<string, unknown>): Promise<void> {
  await tx.manager.insert(OutboxMessageRow, {
    topic,
    payload: { ...payload, requestId: tx.requestId, door: tx.door } as object,
  });
}
