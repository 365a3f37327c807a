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

/**
 * One audit record and one event for EACH row of a set-based write's `w` (an import's new people), their action and
 * topic fixed: the target's id, the changes and the payload are SQL expressions over that row, so each record goes
 * straight from the row into its table (no jsonb array built and taken apart again, as DerivedEffects' are). The unit
 * of work adds who did it (writeInDerived); the feed event's data is the payload, as feedRows makes it. Not for a
 * topic a side module consumes (its outbox row) nor an `*.updated` one (its feed event carries the record's changes):
 * those take DerivedEffects.
 */
export interface DerivedEachRow {
  action: string;
  subject: { type: AuditSubject["type"]; id: string };
  changes: string;
  topic: OutboxTopic;
  payload: string;
  /** What the statement answers of `w` (default every column). */
  answer?: string;
}
