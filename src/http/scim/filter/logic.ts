import { scan, type Token } from "./scan";
import { FilterError } from "./types";

/**
 * The and/or/not/(...) structure of a filter, with each comparison kept as source text for scimmy.
 * scimmy parses comparisons well but its own handling of the logical layer is unsafe: it distributes
 * `not` over groups without De Morgan, rejects nested parentheses, silently drops `emails co "x" and
 * emails.type eq "w"`'s second half, and expands to DNF (exponential in the number of groups).
 */
export type LogicNode =
  | { type: "and" | "or"; children: LogicNode[] }
  | { type: "not"; child: LogicNode }
  | { type: "term"; text: string };

const MAX_DEPTH = 32;

/** Splits a filter at and/or/not/parentheses (RFC 7644 §3.4.2.2 precedence: not, and, or). */
export function parseLogic(expr: string): LogicNode {
  const tokens = scan(expr);
  if (!tokens.length) throw new FilterError("filter is empty");
  checkBalance(tokens);
  const parser = new Parser(expr, tokens);
  const tree = parser.or(0);
  const extra = tokens[parser.pos];
  if (extra)
    throw new FilterError(
      `Unexpected '${expr.slice(extra.start, extra.end)}' at character ${extra.start + 1} of filter`,
    );
  return tree;
}

export function countTerms(node: LogicNode): number {
  if (node.type === "term") return 1;
  if (node.type === "not") return countTerms(node.child);
  return node.children.reduce((n, c) => n + countTerms(c), 0);
}

function checkBalance(tokens: Token[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.type === "(") depth++;
    if (t.type === ")" && --depth < 0)
      throw new FilterError(`Unbalanced parentheses: unexpected ')' at character ${t.start + 1}`);
  }
  if (depth > 0) throw new FilterError("Unbalanced parentheses: missing ')'");
}

class Parser {
  pos = 0;
  constructor(
    private readonly expr: string,
    private readonly tokens: Token[],
  ) {}

  or(depth: number): LogicNode {
    return this.chain("or", depth, () => this.chain("and", depth, () => this.factor(depth)));
  }

  private chain(op: "and" | "or", _depth: number, operand: () => LogicNode): LogicNode {
    const children = [operand()];
    while (this.tokens[this.pos]?.type === op) {
      this.pos++;
      children.push(operand());
    }
    return children.length === 1 ? children[0] : { type: op, children };
  }

  private factor(depth: number): LogicNode {
    if (depth > MAX_DEPTH) throw new FilterError(`filter nests deeper than ${MAX_DEPTH} levels`);
    const t = this.tokens[this.pos];
    if (!t)
      throw new FilterError(
        this.pos ? `filter ends after '${this.lastText()}' where a comparison was expected` : "filter is empty",
      );
    if (t.type === "not") {
      this.pos++;
      return { type: "not", child: this.factor(depth + 1) };
    }
    if (t.type === "(") {
      this.pos++;
      const inner = this.or(depth + 1);
      // checkBalance guarantees a ')' exists somewhere; anything else here is a stray token.
      const close = this.tokens[this.pos];
      if (close?.type !== ")")
        throw new FilterError(
          `Unexpected '${close ? this.text(close) : ""}' at character ${(close?.start ?? 0) + 1} of filter`,
        );
      this.pos++;
      return inner;
    }
    if (t.type !== "chunk") throw new FilterError(`Unexpected '${this.text(t)}' at character ${t.start + 1} of filter`);
    return this.term();
  }

  private term(): LogicNode {
    const first = this.tokens[this.pos];
    let last = first;
    let brackets = 0;
    for (let t = first; t?.type === "chunk"; t = this.tokens[++this.pos]) {
      last = t;
      if (t.bracket) brackets++;
    }
    const text = this.expr.slice(first.start, last.end);
    if (brackets > 1) throw new FilterError(`Only one value filter '[...]' per attribute path is supported: '${text}'`);
    return { type: "term", text };
  }

  private text(t: Token): string {
    return this.expr.slice(t.start, t.end);
  }

  private lastText(): string {
    return this.text(this.tokens[this.pos - 1]);
  }
}
