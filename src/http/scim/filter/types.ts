export type ScalarKind = "string" | "boolean" | "datetime" | "id" | "integer";

/** A single-valued attribute stored in a column (or any SQL expression of the row). */
export interface ScalarAttr {
  kind: ScalarKind;
  /** Trusted SQL expression, e.g. "u.user_name". */
  sql: string;
  caseExact?: boolean;
}

/** A sub-attribute of the objects inside a multi-valued jsonb array. */
export interface SubAttr {
  kind: ScalarKind;
  caseExact?: boolean;
  /** Key inside the jsonb element when it is not the (lower-cased) map key, e.g. "postalCode". */
  jsonKey?: string;
}

export interface MultiAttr {
  kind: "multi";
  /** Trusted SQL expression of a jsonb array of objects, e.g. "u.emails". */
  sql: string;
  sub: Record<string, SubAttr>;
  /**
   * Optional SQL expression giving the lower-cased `value`s as text[], backed by a GIN index: an `eq` on
   * `value` then also tests `<valueIndex> @> ARRAY[lower($n)]`, so the index finds the rows instead of a scan.
   */
  valueIndex?: string;
}

/**
 * A multi-valued attribute kept in another table (group members, a user's groups): comparisons become
 * `EXISTS (SELECT 1 FROM <from> WHERE <where> AND ...)`. `{a}` in from/where/sub sql stands for a fresh alias.
 */
export interface RelationAttr {
  kind: "relation";
  /** Trusted SQL: the FROM list of the subquery, e.g. "group_members {a}". */
  from: string;
  /** Trusted SQL: ties the subquery to the outer row, e.g. "{a}.group_id = g.id". */
  where: string;
  sub: Record<string, ScalarAttr>;
}

export interface ComplexAttr {
  kind: "complex";
  sub: Record<string, ScalarAttr | MultiAttr | ComplexAttr | RelationAttr>;
}

export type AttrNode = ScalarAttr | MultiAttr | ComplexAttr | RelationAttr;

/** Keys are lower-cased attribute names; lower-cased schema URNs map to ComplexAttr. */
export type AttributeMap = Record<string, AttrNode>;

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

export interface CompileOptions {
  /** Placeholders start at $(paramOffset + 1). */
  paramOffset?: number;
  /** Default 2048 characters. */
  maxLength?: number;
  /** Default 64 comparisons in total, counted after scimmy expands value filters. */
  maxTerms?: number;
}

/** A filter or sortBy the client got wrong; the message is safe to send back (RFC 7644 §3.12 invalidFilter). */
export class FilterError extends Error {
  readonly status = 400;
  constructor(
    message: string,
    readonly scimType: "invalidFilter" | "invalidValue" = "invalidFilter",
  ) {
    super(message);
    this.name = "FilterError";
  }
}
