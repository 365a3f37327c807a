import { FilterError } from "./types";

/**
 * Tokens of the logical layer only: parentheses, and/or/not, and "chunks" (everything else: words,
 * quoted strings, `[...]` value filters). Consecutive chunks form one comparison, which scimmy parses.
 */
export type Token =
  | { type: "(" | ")" | "and" | "or" | "not"; start: number; end: number }
  | { type: "chunk"; start: number; end: number; bracket: boolean };

const KEYWORDS = new Set(["and", "or", "not"]);
const WORD_END = /[\s()"[]/;

/** Tokenises a filter for the logical layer (RFC 7644 §3.4.2.2), skipping strings and value filters. */
export function scan(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ type: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const end = stringEnd(expr, i);
      tokens.push({ type: "chunk", start: i, end, bracket: false });
      i = end;
    } else if (c === "[") {
      const end = bracketEnd(expr, i);
      tokens.push({ type: "chunk", start: i, end, bracket: true });
      i = end;
    } else {
      let end = i + 1;
      while (end < expr.length && !WORD_END.test(expr[end])) end++;
      const word = expr.slice(i, end).toLowerCase();
      if (KEYWORDS.has(word)) tokens.push({ type: word as "and" | "or" | "not", start: i, end });
      else tokens.push({ type: "chunk", start: i, end, bracket: false });
      i = end;
    }
  }
  return tokens;
}

/** Index just past the closing quote of the string starting at `start`. */
function stringEnd(expr: string, start: number): number {
  for (let i = start + 1; i < expr.length; i++) {
    if (expr[i] === "\\") {
      i++; // an escaped character, `\"` included (term.ts masks those before scimmy sees them)
    } else if (expr[i] === '"') {
      return i + 1;
    }
  }
  throw new FilterError(`Missing closing '"' for the string starting at character ${start + 1}`);
}

/**
 * Index just past the `]` closing the value filter starting at `start`. Grouping inside a value filter is
 * left to scimmy, which gets `not (...)` and nested groups wrong there, so parentheses are refused.
 */
function bracketEnd(expr: string, start: number): number {
  for (let i = start + 1; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"') i = stringEnd(expr, i) - 1;
    else if (c === "]") return i + 1;
    else if (c === "[")
      throw new FilterError(`Nested '[' inside a value filter is not supported (at character ${i + 1})`);
    else if (c === "(" || c === ")") {
      throw new FilterError(`Parentheses inside a value filter '[...]' are not supported (at character ${i + 1})`);
    }
  }
  throw new FilterError(`Missing closing ']' for the value filter starting at character ${start + 1}`);
}
