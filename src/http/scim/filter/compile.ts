import { elementExpr } from "./element";
import { countTerms, type LogicNode, parseLogic } from "./logic";
import { comparison, negate, type Operand, type Pred, presence } from "./predicate";
import { lookup, resolveAttr } from "./resolve";
import { simpleEquality } from "./simple-eq";
import { type AttrFilter, parseTerm } from "./term";
import {
  type AttrNode,
  type AttributeMap,
  type CompiledSql,
  type CompileOptions,
  type ComplexAttr,
  FilterError,
  type MultiAttr,
  type RelationAttr,
  type SubAttr,
} from "./types";

class Context {
  readonly params: unknown[] = [];
  private aliases = 0;
  private comparisons = 0;
  constructor(
    readonly map: AttributeMap,
    private readonly offset: number,
    private readonly maxTerms: number,
  ) {}

  param = (value: unknown): string => {
    this.params.push(value);
    return `$${this.offset + this.params.length}`;
  };

  alias(): string {
    return `e${++this.aliases}`;
  }

  count(n: number): void {
    this.comparisons += n;
    if (this.comparisons > this.maxTerms) throw tooMany(this.maxTerms);
  }
}

const tooMany = (max: number) => new FilterError(`filter has more than ${max} comparisons`);

/** Compiles a SCIM filter (RFC 7644 §3.4.2.2) into a parameterised PostgreSQL boolean expression. */
export function compileFilter(expression: string, map: AttributeMap, opts: CompileOptions = {}): CompiledSql {
  const maxLength = opts.maxLength ?? 2048;
  if (typeof expression !== "string" || !expression.trim()) throw new FilterError("filter is empty");
  if (expression.length > maxLength) throw new FilterError(`filter is longer than ${maxLength} characters`);
  return simpleEquality(expression, map, opts.paramOffset ?? 0) ?? compileTree(expression, map, opts);
}

/** The general compiler: and/or/not split here, each comparison parsed by scimmy (decision 0008). */
export function compileTree(expression: string, map: AttributeMap, opts: CompileOptions = {}): CompiledSql {
  const maxTerms = opts.maxTerms ?? 64;
  const tree = parseLogic(expression);
  // Checked before scimmy sees any term; ctx.count re-checks after value filters expand.
  if (countTerms(tree) > maxTerms) throw tooMany(maxTerms);
  const ctx = new Context(map, opts.paramOffset ?? 0, maxTerms);
  const sql = node(tree, false, ctx);
  return { sql, params: ctx.params };
}

/** `not` is pushed down to the comparisons (De Morgan), where negate() gives it complement semantics. */
function node(n: LogicNode, negated: boolean, ctx: Context): string {
  if (n.type === "term") {
    const pred = term(n.text, ctx);
    return negated ? negate(pred).sql : pred.sql;
  }
  if (n.type === "not") return node(n.child, !negated, ctx);
  const joiner = (n.type === "and") !== negated ? " AND " : " OR ";
  return `(${n.children.map((c) => node(c, negated, ctx)).join(joiner)})`;
}

function term(text: string, ctx: Context): Pred {
  const parsed = parseTerm(text);
  ctx.count(parsed.comparisons);
  const branches = parsed.branches.map((b) =>
    all(
      b.map(([name, f]) => attribute(ctx.map, name, name, f, ctx)),
      " AND ",
    ),
  );
  return all(branches, " OR ");
}

function all(preds: Pred[], joiner: string): Pred {
  if (preds.length === 1) return preds[0];
  return { sql: `(${preds.map((p) => p.sql).join(joiner)})`, nullSafe: preds.every((p) => p.nullSafe) };
}

function attribute(scope: Record<string, AttrNode>, name: string, path: string, f: AttrFilter, ctx: Context): Pred {
  const attr = resolveAttr(scope, name);
  if (!attr) throw unknown(path);
  if (attr.kind === "multi") return multi(attr, path, f, ctx);
  if (attr.kind === "complex") return complex(attr, path, f, ctx);
  if (attr.kind === "relation") return relation(attr, path, f, ctx);
  if (f.subs.length) throw unknown(`${path}.${f.subs[0][0]}`);
  const operand: Operand = {
    expr: attr.sql,
    kind: attr.kind,
    caseExact: attr.caseExact ?? false,
    name: path,
    element: false,
  };
  return all(
    f.conds.map((c) => comparison(operand, c, ctx.param)),
    " AND ",
  );
}

/** Only `pr` applies to a complex attribute itself: true when any sub-attribute is present. */
function complex(attr: ComplexAttr, path: string, f: AttrFilter, ctx: Context): Pred {
  const preds = f.conds.map((c) => {
    if (c.op !== "pr")
      throw new FilterError(`'${path}' is a complex attribute: compare one of its sub-attributes instead`);
    const p = complexPresence(attr, ctx);
    return c.negated ? negate(p) : p;
  });
  for (const [sub, sf] of f.subs) preds.push(attribute(attr.sub, sub, `${path}.${sub}`, sf, ctx));
  return all(preds, " AND ");
}

function complexPresence(attr: ComplexAttr, ctx: Context): Pred {
  if (!Object.keys(attr.sub).length) return { sql: "FALSE", nullSafe: true };
  return all(
    Object.values(attr.sub).map((a) => {
      if (a.kind === "complex") return complexPresence(a, ctx);
      if (a.kind === "multi") return multiPresence(a);
      if (a.kind === "relation") return relationExists(a, ctx.alias(), []);
      return presence({ expr: a.sql, kind: a.kind, element: false });
    }),
    " OR ",
  );
}

const elements = (attr: MultiAttr) => `jsonb_array_elements(COALESCE(${attr.sql}, '[]'::jsonb))`;
const multiPresence = (attr: MultiAttr): Pred => ({
  sql: `jsonb_array_length(COALESCE(${attr.sql}, '[]'::jsonb)) > 0`,
  nullSafe: true,
});

/**
 * All conditions of one comparison on a multi-valued attribute (`emails[type eq "work" and value co "x"]`)
 * must hold for the same element. A condition on the attribute itself (`emails co "x"`) targets `value`.
 */
function multi(attr: MultiAttr, path: string, f: AttrFilter, ctx: Context): Pred {
  if (!f.subs.length && f.conds.length === 1 && f.conds[0].op === "pr") {
    return f.conds[0].negated ? negate(multiPresence(attr)) : multiPresence(attr);
  }
  const alias = ctx.alias();
  const preds: Pred[] = [];
  const onSub = (name: string, subPath: string, sf: AttrFilter) => {
    const sub = lookup(attr.sub, name);
    if (!sub) throw unknown(subPath);
    if (sf.subs.length) throw unknown(`${subPath}.${sf.subs[0][0]}`);
    const operand = elementOperand(alias, name, sub, subPath);
    for (const c of sf.conds) preds.push(comparison(operand, c, ctx.param));
  };
  if (f.conds.length) {
    if (!lookup(attr.sub, "value"))
      throw new FilterError(`'${path}' has no 'value' sub-attribute: compare one of its sub-attributes instead`);
    onSub("value", path, { conds: f.conds, subs: [] });
  }
  for (const [name, sf] of f.subs) onSub(name, `${path}.${name}`, sf);
  const exists = `EXISTS (SELECT 1 FROM ${elements(attr)} AS ${alias} WHERE ${preds.map((p) => p.sql).join(" AND ")})`;
  return { sql: [...indexHints(attr, f, ctx), exists].join(" AND "), nullSafe: true };
}

/** `valueIndex @> ARRAY[lower($n)]` for each case-insensitive `value eq "x"`: implied by the EXISTS, but indexable. */
function indexHints(attr: MultiAttr, f: AttrFilter, ctx: Context): string[] {
  const valueSub = lookup(attr.sub, "value");
  if (!attr.valueIndex || !valueSub || valueSub.caseExact) return [];
  const onValue = [
    ...f.conds,
    ...f.subs.filter(([name]) => name.toLowerCase() === "value").flatMap(([, sf]) => sf.conds),
  ];
  return onValue
    .filter((c) => c.op === "eq" && !c.negated && typeof c.value === "string")
    .map((c) => `${attr.valueIndex} @> ARRAY[lower(${ctx.param(c.value)})]`);
}

function elementOperand(alias: string, mapKey: string, sub: SubAttr, name: string): Operand {
  return {
    expr: elementExpr(alias, mapKey, sub),
    kind: sub.kind,
    caseExact: sub.caseExact ?? false,
    name,
    element: true,
  };
}

/**
 * A multi-valued attribute in another table (`members.value eq "id"`, `groups.value eq "id"`): one EXISTS
 * subquery in which all conditions hold for the same related row. `pr` on the attribute means "has any".
 */
function relation(attr: RelationAttr, path: string, f: AttrFilter, ctx: Context): Pred {
  const alias = ctx.alias();
  const bind = (sql: string) => sql.replace(/\{a\}/g, alias);
  const preds: Pred[] = [];
  const onSub = (name: string, subPath: string, sf: AttrFilter) => {
    const sub = lookup(attr.sub, name);
    if (!sub) throw unknown(subPath);
    if (sf.subs.length) throw unknown(`${subPath}.${sf.subs[0][0]}`);
    const operand: Operand = {
      expr: bind(sub.sql),
      kind: sub.kind,
      caseExact: sub.caseExact ?? false,
      name: subPath,
      element: false,
    };
    for (const c of sf.conds) preds.push(comparison(operand, c, ctx.param));
  };
  const conds = f.conds.filter((c) => !(c.op === "pr" && !c.negated));
  if (f.conds.some((c) => c.op === "pr" && c.negated))
    throw new FilterError(`'${path}' supports 'pr' but not 'not pr': use 'not (${path} pr)'`);
  if (conds.length) onSub("value", path, { conds, subs: [] });
  for (const [name, sf] of f.subs) onSub(name, `${path}.${name}`, sf);
  return relationExists(attr, alias, preds);
}

function relationExists(attr: RelationAttr, alias: string, preds: Pred[]): Pred {
  const bind = (sql: string) => sql.replace(/\{a\}/g, alias);
  const where = [bind(attr.where), ...preds.map((p) => p.sql)].join(" AND ");
  return { sql: `EXISTS (SELECT 1 FROM ${bind(attr.from)} WHERE ${where})`, nullSafe: true };
}

const unknown = (path: string) => new FilterError(`Unknown attribute '${path}' in filter`);
