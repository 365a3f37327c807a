import type { AuditSubject } from "./audit";
import type { OutboxTopic } from "./topics";

/**
 * Audit records and outbox events that must commit together with one write, or not at all. Written only through the
 * unit of work (unit-of-work.ts: writeIn, recordIn, writeAlone).
 */
export interface Effects {
  audits: { action: string; subject: AuditSubject; changes: Record<string, unknown> }[];
  events: { topic: OutboxTopic; payload: Record<string, unknown> }[];
}

/** One parameterised write (INSERT/UPDATE/DELETE ... RETURNING), as a repository returns it for the unit of work. */
export interface Statement {
  text: string;
  values: unknown[];
}
