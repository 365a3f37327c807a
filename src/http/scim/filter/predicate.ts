import { parseDateTime } from "./datetime";
import type { Condition } from "./term";
import { FilterError, type ScalarKind } from "./types";

/** A boolean SQL expression; `nullSafe` when it can never evaluate to NULL. */
export interface Pred {
  sql: string;
  nullSafe: boolean;
}

/** The value being compared: a column expression, or `e1->>'key'` (already cast) inside a jsonb element. */
export interface Operand {
  expr: string;
  kind: ScalarKind;
  caseExact: boolean;
  /** Path as the client spelled it, for messages. */
  name: string;
  /** True for jsonb element values, which are text even for kind "id". */
  element: boolean;
}

export type AddParam = (value: unknown) => string;

const CMP = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Negation is the complement over resources: `not (title eq "x")` matches users without a title. So a
 * comparison that may be NULL (absent value) counts as false before it is negated.
 */
export function negate(p: Pred): Pred {
  return { sql: p.nullSafe ? `NOT (${p.sql})` : `NOT COALESCE(${p.sql}, false)`, nullSafe: true };
}

/** One comparison on a single value (RFC 7644 §3.4.2.2, operators table). */
export function comparison(o: Operand, c: Condition, param: AddParam): Pred {
  const pred = positive(o, c, param);
  return c.negated ? negate(pred) : pred;
}

function positive(o: Operand, c: Condition, param: AddParam): Pred {
  if (c.op === "pr") return presence(o);
  if (c.value === null) {
    if (c.op === "eq") return { sql: `${o.expr} IS NULL`, nullSafe: true };
    if (c.op === "ne") return { sql: `${o.expr} IS NOT NULL`, nullSafe: true };
    throw new FilterError(`Operator '${c.op}' cannot compare '${o.name}' with null`);
  }
  switch (o.kind) {
    case "string":
    case "id":
      return text(o, c, param);
    case "boolean":
      return boolean(o, c, param);
    case "datetime":
      orderedOnly(o, c);
      return dateCmp(o.expr, c.op, `${param(dateValue(o, c.value))}::timestamptz`);
    case "integer":
      orderedOnly(o, c);
      if (typeof c.value !== "number" || !Number.isFinite(c.value))
        throw new FilterError(`Value for '${o.name}' must be a number`);
      return cmp(o.expr, c.op, `${param(c.value)}::numeric`);
  }
}

/** `pr`: present and, for text, not empty (RFC 7644 §3.4.2.2). */
export function presence(o: Pick<Operand, "expr" | "kind" | "element">): Pred {
  const isText = o.kind === "string" || (o.kind === "id" && o.element);
  return { sql: isText ? `(${o.expr} IS NOT NULL AND ${o.expr} <> '')` : `${o.expr} IS NOT NULL`, nullSafe: true };
}

function text(o: Operand, c: Condition, param: AddParam): Pred {
  if (typeof c.value !== "string") throw new FilterError(`Value for '${o.name}' must be a quoted string`);
  if (o.kind === "id") {
    // uuid columns: an exact uuid compares natively (index); anything else as text, which cannot raise a cast error.
    const value = c.value.toLowerCase();
    if (!o.element && (c.op === "eq" || c.op === "ne") && UUID.test(value)) {
      return cmp(o.expr, c.op, `${param(value)}::uuid`);
    }
    return textCmp(o.element ? o.expr : `${o.expr}::text`, c.op, value, param, (p) => p);
  }
  const lower = (sql: string) => (o.caseExact ? sql : `lower(${sql})`);
  return textCmp(lower(o.expr), c.op, c.value, param, lower);
}

function textCmp(left: string, op: Condition["op"], value: string, param: AddParam, wrap: (p: string) => string): Pred {
  if (op === "co" || op === "sw" || op === "ew") {
    // Backslash is LIKE's default escape; no ESCAPE clause so the SQL does not depend on standard_conforming_strings.
    const escaped = value.replace(/[\\%_]/g, "\\$&");
    const pattern = op === "co" ? `%${escaped}%` : op === "sw" ? `${escaped}%` : `%${escaped}`;
    return { sql: `${left} LIKE ${wrap(param(pattern))}`, nullSafe: false };
  }
  return cmp(left, op, wrap(param(value)));
}

function cmp(left: string, op: Condition["op"], right: string): Pred {
  if (op === "ne") return { sql: `${left} IS DISTINCT FROM ${right}`, nullSafe: true };
  if (op === "eq" || op === "gt" || op === "ge" || op === "lt" || op === "le")
    return { sql: `${left} ${CMP[op]} ${right}`, nullSafe: false };
  throw new Error(`unreachable operator ${op}`);
}

/**
 * meta.created / meta.lastModified are shown to the millisecond (the stored value keeps microseconds), so a filter
 * compares what is shown, `floor_ms(stored) <op> value`, as ranges on the stored column that keep its index:
 * a value read from a resource round-trips exactly (`gt` its own lastModified leaves it out).
 */
function dateCmp(left: string, op: Condition["op"], value: string): Pred {
  const floor = `date_trunc('milliseconds', ${value})`;
  const ceil = `date_trunc('milliseconds', ${value} + interval '999 microseconds')`;
  const next = `(${floor} + interval '1 millisecond')`;
  const equal = `(${left} >= ${ceil} AND ${left} < ${next})`;
  switch (op) {
    case "eq":
      return { sql: equal, nullSafe: false };
    case "ne":
      return { sql: `NOT (${left} IS NOT NULL AND ${equal})`, nullSafe: true };
    case "gt":
      return { sql: `${left} >= ${next}`, nullSafe: false };
    case "ge":
      return { sql: `${left} >= ${ceil}`, nullSafe: false };
    case "lt":
      return { sql: `${left} < ${ceil}`, nullSafe: false };
    case "le":
      return { sql: `${left} < ${next}`, nullSafe: false };
    default:
      throw new Error(`unreachable operator ${op}`);
  }
}

function boolean(o: Operand, c: Condition, param: AddParam): Pred {
  if (c.op !== "eq" && c.op !== "ne")
    throw new FilterError(`Operator '${c.op}' is not supported for boolean attribute '${o.name}'`);
  // Entra ID sends "True"/"False" as strings.
  const s = typeof c.value === "string" ? c.value.toLowerCase() : undefined;
  const value = s === "true" ? true : s === "false" ? false : c.value;
  if (typeof value !== "boolean")
    throw new FilterError(`Value for boolean attribute '${o.name}' must be true or false`);
  return cmp(o.expr, c.op, param(value));
}

function orderedOnly(o: Operand, c: Condition): void {
  if (c.op === "co" || c.op === "sw" || c.op === "ew")
    throw new FilterError(`Operator '${c.op}' is not supported for ${o.kind} attribute '${o.name}'`);
}

function dateValue(o: Operand, value: unknown): string {
  const iso = typeof value === "string" ? parseDateTime(value) : undefined;
  if (!iso) throw new FilterError(`Value for '${o.name}' must be a date-time such as "2024-01-31T12:00:00Z"`);
  return iso;
}
