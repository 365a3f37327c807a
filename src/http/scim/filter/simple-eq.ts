// The filter of every IdP lookup, `userName eq "x"` (Okta and Entra before each create, idp-behaviours O1, E1), read
// without scimmy's lexer: a pattern of the plainest form, compiled by the same comparison() as any filter, so the SQL
// and parameters are those the general compiler gives (test/unit/filter-simple-eq.test.ts holds them equal). Anything
// else, including any escape in the value, goes the general way. Decision 0133.
import { comparison } from "./predicate";
import { resolveAttr } from "./resolve";
import type { AttributeMap, CompiledSql } from "./types";

/** `name eq "value"`, single spaces, a lower-case `eq`, a value without quotes or backslashes. */
const SIMPLE_EQ = /^([A-Za-z][A-Za-z0-9]*) eq "([^"\\]*)"$/;

/** The compiled filter when `expression` is one plain `eq` on a text or id attribute; undefined otherwise. */
export function simpleEquality(expression: string, map: AttributeMap, paramOffset: number): CompiledSql | undefined {
  const m = SIMPLE_EQ.exec(expression);
  if (!m) return undefined;
  const attr = resolveAttr(map, m[1]);
  // Only kinds whose `eq` on a quoted string cannot fail: the general path words every error.
  if (!attr || (attr.kind !== "string" && attr.kind !== "id")) return undefined;
  const params: unknown[] = [];
  const param = (value: unknown) => `$${paramOffset + params.push(value)}`;
  const operand = { expr: attr.sql, kind: attr.kind, caseExact: attr.caseExact ?? false, name: m[1], element: false };
  const pred = comparison(operand, { op: "eq", negated: false, value: m[2] }, param);
  return { sql: pred.sql, params };
}
