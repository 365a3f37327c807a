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

/**
 * Audit records and outbox events a write computes itself (its before-state read in the same statement, or the rows
 * it inserted): SQL expressions over the write's returned rows `w`, each a jsonb array, of {action, target_type,
 * target_id, changes} and of {topic, payload}. The unit of work adds the actor, door and request id
 * (writeAloneDerived, writeInDerived).
 */
export interface DerivedEffects {
  audits: string;
  events: string;
  /** What the statement answers of `w` (default every column): a write returning columns only for its records. */
  answer?: string;
}
