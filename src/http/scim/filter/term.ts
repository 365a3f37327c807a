import SCIMMY from "scimmy";
import { findUnstorableText } from "../../middleware/well-formed-input";
import { FilterError } from "./types";

export const OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  op: Operator;
  negated: boolean;
  /** undefined only for `pr`. */
  value?: unknown;
}

/** Conditions on one attribute and on its sub-attributes; all of them are AND-ed. */
export interface AttrFilter {
  conds: Condition[];
  subs: Array<[string, AttrFilter]>;
}

/** One OR-branch of a comparison: attribute name (as spelled, first letter lower-cased) -> filter. */
export type Branch = Array<[string, AttrFilter]>;

export interface ParsedTerm {
  branches: Branch[];
  /** Number of comparisons after scimmy expanded `or` inside a value filter. */
  comparisons: number;
}

/** Parses one comparison (no top-level and/or/not/parentheses) with scimmy and checks its shape. */
export function parseTerm(text: string): ParsedTerm {
  let raw: unknown[];
  try {
    raw = [...new SCIMMY.Types.Filter(maskEscapedQuotes(text))];
  } catch (e) {
    const err = e as { scimType?: unknown; message?: unknown };
    // scimmy throws SCIMError for syntax it recognises and plain TypeErrors from deeper inside for the rest.
    if (err.scimType && typeof err.message === "string")
      throw new FilterError(`${err.message.replace(/ in filter\b.*$/s, "")} in filter term '${text}'`);
    throw new FilterError(`Invalid filter term '${text}'`);
  }
  const counter = { n: 0 };
  const branches = raw.map((b) => {
    if (!isObject(b) || !Object.keys(b).length) throw new FilterError(`Invalid filter term '${text}'`);
    return Object.entries(b).map(([k, v]): [string, AttrFilter] => [k, normalise(v, text, counter)]);
  });
  return { branches, comparisons: counter.n };
}

function normalise(v: unknown, text: string, counter: { n: number }): AttrFilter {
  const out: AttrFilter = { conds: [], subs: [] };
  const items = Array.isArray(v) && v.length && v.every((x) => Array.isArray(x) || isObject(x)) ? v : [v];
  for (const item of items) {
    if (Array.isArray(item)) {
      out.conds.push(condition(item, text));
      counter.n++;
    } else if (isObject(item) && Object.keys(item).length) {
      for (const [k, sub] of Object.entries(item)) out.subs.push([k, normalise(sub, text, counter)]);
    } else {
      throw new FilterError(`Invalid filter term '${text}'`);
    }
  }
  return out;
}

function condition(parts: unknown[], text: string): Condition {
  const negated = parts.length > 1 && typeof parts[0] === "string" && parts[0].toLowerCase() === "not";
  const [rawOp, ...values] = negated ? parts.slice(1) : parts;
  const op = typeof rawOp === "string" ? rawOp.toLowerCase() : "";
  if (op === "np") throw new FilterError(`Operator 'np' is not part of SCIM; use 'not (attribute pr)' in '${text}'`);
  if (!(OPERATORS as readonly string[]).includes(op)) throw new FilterError(`Invalid filter term '${text}'`);
  if (op === "pr") {
    if (values.length) throw new FilterError(`Operator 'pr' takes no value in '${text}'`);
    return { op: "pr", negated };
  }
  if (!values.length) throw new FilterError(`Missing value after '${op}' in '${text}'`);
  if (values.length > 1) throw new FilterError(`Invalid filter term '${text}'`);
  return { op: op as Operator, negated, value: decode(values[0], text) };
}

/** Stands in for `\"` while scimmy lexes: its lexer ends a string at the first quote, even an escaped one. */
const ESCAPED_QUOTE = "\uE000";

/** Replaces each `\"` inside a quoted string by ESCAPED_QUOTE (other escapes stay for decode). */
function maskEscapedQuotes(text: string): string {
  if (text.includes(ESCAPED_QUOTE)) throw new FilterError(`Invalid character U+E000 in filter term '${text}'`);
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === "\\") {
      out += text[i + 1] === '"' ? ESCAPED_QUOTE : c + (text[i + 1] ?? "");
      i++;
    } else {
      if (c === '"') inString = !inString;
      out += c;
    }
  }
  return out;
}

/** scimmy keeps JSON escapes (`\\`, `\u00e9`) verbatim; SCIM values are JSON strings (RFC 7644 §3.4.2.2). */
function decode(value: unknown, text: string): unknown {
  if (typeof value !== "string" || !(value.includes("\\") || value.includes(ESCAPED_QUOTE))) return value;
  let decoded: string;
  try {
    decoded = JSON.parse(`"${value.replaceAll(ESCAPED_QUOTE, '\\"')}"`) as string;
  } catch {
    throw new FilterError(`Invalid escape sequence in value "${value}" of '${text}'`);
  }
  // An escape can spell what a query string cannot carry: a lone surrogate or a NUL, which PostgreSQL cannot compare.
  if (findUnstorableText(decoded))
    throw new FilterError(
      `Value "${value}" of '${text}' is not valid text (a lone surrogate or a NUL)`,
      "invalidValue",
    );
  return decoded;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
