import type { DataSource, EntityManager } from "typeorm";
import { sql } from "../db/sql";
import { type AuditRecordRow, auditInsertCte, auditRowsInsertCte } from "./audit-log/audit.fragments";
import type { Ctx, TxCtx } from "./context";
import type { DerivedEachRow, DerivedEffects, Effects, Statement } from "./effects";
import { ConflictError, DomainError, InvalidError, UnavailableError } from "./errors";
import { outboxInsertCte } from "./outbox/outbox.fragments";
import { derivedEventsInsertCte, eachRowEventsInsertCte, eventsInsertCte } from "./events/events.fragments";
import { feedRows, isEventType } from "./feed";
import { CONSUMED_TOPICS, isConsumedTopic } from "./topics";

/*
 * The unit of work: the one way a change is committed, and the only place that opens a transaction or writes audit
 * records and outbox events (test/unit/unit-of-work-usage.test.ts holds it; src/db is the infrastructure under it).
 *
 *   unitOfWork(ds, ctx, async (tx) => { ... writeIn(tx, statement, effects) ... recordIn(tx, effects) ... })
 *   writeAlone(ds, ctx, statement, effects)   a unit of work of one statement (the hot SCIM path: one round trip)
 *   writeInDerived / writeAloneDerived        the same, the records built in SQL from the write's RETURNING
 *   withDb(() => read)                        reads outside a unit, with the same error translation
 *
 * Either way the change, its audit record(s), its feed events and the outbox jobs of the topics a side module consumes
 * (CONSUMED_TOPICS) commit together or not at all, and database errors come out as domain errors (unique ->
 * ConflictError, outage or timeout -> UnavailableError).
 */

/** Unique indexes and the field they protect, for ConflictError messages. */
const uniqueFields: Record<string, string> = {
  users_user_name_lower_key: "userName",
  groups_display_name_lower_key: "displayName",
  api_tokens_live_name_key: "name",
  entities_sibling_name_key: "name",
  entities_external_key_key: "externalKey",
  sso_connections_name_lower_key: "name",
};

/** Foreign keys and the field naming the row they point at, for InvalidError messages (the row vanished or never was). */
const referenceFields: Record<string, string> = {
  users_entity_id_fkey: "entityId",
  entities_parent_id_fkey: "parentId",
};

/**
 * Runs `fn` in one transaction: everything written through `tx` (writeIn, recordIn, the `...In` methods) commits
 * when it returns and rolls back when it throws. The only place a transaction opens.
 */
export async function unitOfWork<T>(ds: DataSource, ctx: Ctx, fn: (tx: TxCtx) => Promise<T>): Promise<T> {
  try {
    return await ds.transaction((manager) => fn({ ...ctx, manager }));
  } catch (e) {
    throw translateDbError(e);
  }
}

/**
 * Inside a unit: `write` (an INSERT/UPDATE/DELETE ... RETURNING) with its audit and outbox rows, as one statement.
 * The effects are written only when the write returned a row; the answer is that row, or null.
 */
export function writeIn<T extends object>(tx: TxCtx, write: Statement, effects: Effects): Promise<T | null> {
  return runWithEffects<T>(tx.manager, tx, write, effects);
}

/** Inside a unit: audit records and outbox events on their own, for changes made by earlier statements of `tx`. */
export async function recordIn(tx: TxCtx, effects: Effects): Promise<void> {
  if (effects.audits.length === 0 && !effects.events.some((e) => isConsumedTopic(e.topic) || isEventType(e.topic)))
    return;
  await runWithEffects(tx.manager, tx, { text: "SELECT 1 AS one", values: [] }, effects);
}

/**
 * A unit of work of ONE statement, without BEGIN/COMMIT: PostgreSQL runs a statement atomically, so the write and
 * its audit and outbox rows (data-modifying CTEs of that statement) commit together: one round trip instead of four.
 * Not for use inside a unit (`ctx` a TxCtx): there, writeIn.
 */
export async function writeAlone<T extends object>(
  ds: DataSource,
  ctx: Ctx,
  write: Statement,
  effects: Effects,
): Promise<T | null> {
  if ("manager" in ctx) throw new Error("writeAlone inside a unit of work: use writeIn(tx, ...)");
  return withDb(() => runWithEffects<T>(ds.manager, ctx, write, effects));
}

/**
 * writeAlone for a write whose effects depend on the row it replaced (read in the same statement, under its lock):
 * `derived` computes the records from the write's RETURNING; this adds who did it, as runWithEffects does.
 */
export async function writeAloneDerived<T extends object>(
  ds: DataSource,
  ctx: Ctx,
  write: Statement,
  derived: DerivedEffects,
): Promise<T | null> {
  if ("manager" in ctx) throw new Error("writeAloneDerived inside a unit of work");
  const rows = await withDb(() => runDerived<T>(ds.manager, ctx, write, derived));
  return rows[0] ?? null;
}

/**
 * Inside a unit: writeIn for a write whose records are SQL over its RETURNING (`derived`), so that a set-based write
 * gets one record per row it actually wrote (DerivedEachRow), built by the database rather than sent to it. The answer
 * is every row the statement returned (`derived.answer` of each), not only the first: the write may insert many.
 */
export function writeInDerived<T extends object>(
  tx: TxCtx,
  write: Statement,
  derived: DerivedEffects | DerivedEachRow,
): Promise<T[]> {
  return runDerived<T>(tx.manager, tx, write, derived);
}

/** The write and its derived records as ONE statement (derivedText), with who did it as its last two parameters. */
function runDerived<T extends object>(
  m: EntityManager,
  ctx: Ctx,
  write: Statement,
  derived: DerivedEffects | DerivedEachRow,
): Promise<T[]> {
  let text = DERIVED_TEXTS.get(write.text);
  if (text === undefined) {
    text = derivedText(write.text, write.values.length, derived);
    if (DERIVED_TEXTS.size < MAX_EFFECTS_TEXTS) DERIVED_TEXTS.set(write.text, text);
  }
  const who = { actor_type: ctx.actor.type, actor_id: ctx.actor.id, actor_name: ctx.actor.name, door: ctx.door };
  const values = [...write.values, JSON.stringify({ ...who, request_id: ctx.requestId })];
  // The arrays' outbox payloads are merged with $n+2; a row's are built from $n+1 alone (a text has only the
  // parameters it reads).
  if (!("action" in derived)) values.push(JSON.stringify({ requestId: ctx.requestId, door: ctx.door }));
  return sql<T>(m, text, values);
}

/**
 * Inside a unit: `fn` in a savepoint, so that one part of a batch can fail (or be tried and undone: a dry run) without
 * the rest. Kept when `fn` returns and `keep` is true; rolled back to the savepoint when it throws, or always when `keep`
 * is false. Errors come out translated, as from unitOfWork.
 */
export async function savepointIn<T>(tx: TxCtx, keep: boolean, fn: () => Promise<T>): Promise<T> {
  await sql(tx.manager, "SAVEPOINT roster_part");
  try {
    const result = await fn();
    await sql(tx.manager, keep ? "RELEASE SAVEPOINT roster_part" : "ROLLBACK TO SAVEPOINT roster_part");
    return result;
  } catch (e) {
    await sql(tx.manager, "ROLLBACK TO SAVEPOINT roster_part");
    throw translateDbError(e);
  }
}

/** Reads outside a unit of work get the same error translation. */
export async function withDb<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateDbError(e);
  }
}

/**
 * The write and its effects as ONE statement: the audit, outbox and feed INSERTs (from their owners) as guarded CTEs.
 * Only the events a side module consumes are queued in the outbox (CONSUMED_TOPICS, decision 0156); the feed and the
 * audit records are written whatever the topic.
 */
async function runWithEffects<T extends object>(
  m: EntityManager,
  ctx: Ctx,
  write: Statement,
  effects: Effects,
): Promise<T | null> {
  const n = write.values.length;
  const text = withEffectsText(write.text, n);
  const audits = effects.audits.map(
    (a): AuditRecordRow => ({
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      actor_name: ctx.actor.name,
      door: ctx.door,
      action: a.action,
      target_type: a.subject.type,
      target_id: a.subject.id,
      changes: a.changes,
      request_id: ctx.requestId,
    }),
  );
  const events: { topic: string; payload: Record<string, unknown> }[] = [];
  for (const e of effects.events) {
    if (isConsumedTopic(e.topic))
      events.push({ topic: e.topic, payload: { ...e.payload, requestId: ctx.requestId, door: ctx.door } });
  }
  const feed = feedRows(effects, ctx.actor, ctx.door, ctx.requestId);
  const rows = await sql<T>(m, text, [
    ...write.values,
    JSON.stringify(audits),
    JSON.stringify(events),
    JSON.stringify(feed),
  ]);
  return rows[0] ?? null;
}

function translateDbError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.driverError?.code ?? err.code;
  const constraint = err.driverError?.constraint ?? err.constraint;
  if (code === "23505") {
    const field = uniqueFields[constraint ?? ""] ?? "value";
    return new ConflictError(field, `${field} is already taken`);
  }
  if (code === "23503" && referenceFields[constraint ?? ""])
    return new InvalidError(referenceFields[constraint!], "names nothing that exists");
  // Text the database cannot store (a NUL byte, an invalid sequence) is bad input, not a server fault.
  if (code === "22021" || code === "22P05")
    return new InvalidError("value", "contains characters that cannot be stored");
  if (isOutage(code, e)) return new UnavailableError("the database is unavailable");
  // A statement or lock wait past DB_STATEMENT_TIMEOUT_MS / DB_LOCK_TIMEOUT_MS: the database is too busy now, try later.
  if (code === "57014" || code === "55P03") return new UnavailableError("the database did not answer in time");
  return e;
}

const outageCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300"]);

function isOutage(code: string | undefined, e: unknown): boolean {
  if (code && (outageCodes.has(code) || code.startsWith("08"))) return true;
  const message = e instanceof Error ? e.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client was closed and is not queryable|Client has encountered a connection error|the database system is (shutting down|starting up)/i.test(
    message,
  );
}

/**
 * Texts built so far, by write text: the hot writes' texts are module constants, so the lookup hashes a string V8 has
 * hashed before, and the answer is the same string object every time (sql.ts's name lookup is then as cheap).
 */
const EFFECTS_TEXTS = new Map<string, string>();
const MAX_EFFECTS_TEXTS = 512;

/**
 * The text of a write with its audit records, outbox events and feed events as ONE statement: data-modifying CTEs that
 * insert the effects (parameters $n+1, $n+2 and $n+3, JSON arrays) only when the write returned a row. Fixed for a
 * given write text, so
 * it is prepared once per connection.
 */
export function withEffectsText(write: string, n: number): string {
  const known = EFFECTS_TEXTS.get(write);
  if (known !== undefined) return known;
  const text = effectsText(write, n);
  if (EFFECTS_TEXTS.size < MAX_EFFECTS_TEXTS) EFFECTS_TEXTS.set(write, text);
  return text;
}

const DERIVED_TEXTS = new Map<string, string>();

/** CONSUMED_TOPICS as an SQL array literal: the derived path's outbox filter, fixed text (constants, not input). */
const CONSUMED_SQL = `ARRAY[${CONSUMED_TOPICS.map((t) => `'${t}'`).join(", ")}]::text[]`;

/**
 * The text of a write whose effects are SQL over `w`, who did it in $n+1 (and, for the arrays' outbox, $n+2).
 * DerivedEffects: each record of its arrays merged with who did it, the outbox given only the consumed topics' events
 * (as runWithEffects does in JS), the feed's events derived from the same records in SQL, as feedRows does in JS.
 * DerivedEachRow: one record per row of `w` inserted straight from the row, and its event in the feed.
 */
function derivedText(write: string, n: number, derived: DerivedEffects | DerivedEachRow): string {
  const who = `$${n + 1}::jsonb`;
  return `WITH w AS (${write}),
  ${"action" in derived ? eachRowCtes(derived, who) : arrayCtes(derived, who, n)}
  SELECT ${derived.answer ?? "*"} FROM w`;
}

function arrayCtes(derived: DerivedEffects, who: string, n: number): string {
  const audits = `(SELECT COALESCE(jsonb_agg(r || ${who} ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(${derived.audits}) WITH ORDINALITY AS x(r, i))`;
  const events = `(SELECT COALESCE(jsonb_agg(jsonb_build_object('topic', r->'topic', 'payload', (r->'payload') || $${n + 2}::jsonb) ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(${derived.events}) WITH ORDINALITY AS x(r, i) WHERE x.r->>'topic' = ANY(${CONSUMED_SQL}))`;
  return `a AS (${auditInsertCte(audits, "EXISTS (SELECT 1 FROM w)")}),
  o AS (${outboxInsertCte(events, "EXISTS (SELECT 1 FROM w)")}),
  e AS (${derivedEventsInsertCte(derived.audits, derived.events, who, "EXISTS (SELECT 1 FROM w)")})`;
}

/** A constant of the caller's text as an SQL string literal. */
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

function eachRowCtes(d: DerivedEachRow, who: string): string {
  // Neither is needed yet (user.created is neither): an `*.updated` feed event carries its record's changes, a consumed
  // topic needs its outbox row; both are what DerivedEffects' arrays do.
  if (d.topic.endsWith(".updated") || isConsumedTopic(d.topic))
    throw new Error(`${d.topic}: written per row only when not consumed and not *.updated; use DerivedEffects`);
  const ctes = [
    `a AS (${auditRowsInsertCte(`SELECT ${who}->>'actor_type', ${who}->>'actor_id', ${who}->>'actor_name', ${who}->>'door',
      ${literal(d.action)}, ${literal(d.subject.type)}, ${d.subject.id}, ${d.changes}, ${who}->>'request_id' FROM w`)})`,
  ];
  if (isEventType(d.topic)) ctes.push(`e AS (${eachRowEventsInsertCte(d.topic, d.payload, who)})`);
  return ctes.join(",\n  ");
}

function effectsText(write: string, n: number): string {
  return `WITH w AS (${write}),
  a AS (${auditInsertCte(`$${n + 1}`, "EXISTS (SELECT 1 FROM w)")}),
  o AS (${outboxInsertCte(`$${n + 2}`, "EXISTS (SELECT 1 FROM w)")}),
  e AS (${eventsInsertCte(`$${n + 3}`, "EXISTS (SELECT 1 FROM w)")})
  SELECT * FROM w`;
}
