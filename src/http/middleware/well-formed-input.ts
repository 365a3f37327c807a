import express, { type Request, type RequestHandler } from "express";

/**
 * Input every door refuses before any work (400, nothing changed): JSON nested deeper than JSON_MAX_DEPTH, text that
 * PostgreSQL cannot store (a lone UTF-16 surrogate, which jsonb rejects, or a NUL, which text and jsonb reject), and a
 * path whose percent-encoding is broken. Each door maps it to its own error body (SCIM error, problem+json).
 */
export class MalformedInputError extends Error {
  // body-parser keeps `status` and `type` of an error thrown from its `verify` hook.
  readonly status = 400;
  readonly type = "entity.malformed";
  constructor(
    readonly code: "too_deep" | "invalid_text" | "invalid_path",
    readonly field: string,
    detail: string,
  ) {
    super(detail);
  }

  /** RFC 7644 §3.12: broken structure is invalidSyntax, an unusable string is invalidValue. */
  get scimType(): string {
    return this.code === "invalid_text" ? "invalidValue" : "invalidSyntax";
  }
}

/** The router's own "Failed to decode param" URIError (status 400) becomes a MalformedInputError; anything else null. */
export function asMalformedInput(e: unknown): MalformedInputError | null {
  if (e instanceof MalformedInputError) return e;
  if (e instanceof URIError && (e as { status?: unknown }).status === 400) return badPath();
  return null;
}

const badPath = () =>
  new MalformedInputError("invalid_path", "path", "The request path has a malformed percent-encoding");

/** Where the first string (or key) of `value` that cannot be stored is, as `Operations[2].value.name`; null if none. */
export function findUnstorableText(value: unknown, at = ""): string | null {
  if (typeof value === "string") return storable(value) ? null : at || "body";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const here = at ? `${at}.${k}` : k;
      if (!storable(k)) return here;
      const found = findUnstorableText(v, here);
      if (found) return found;
    }
  }
  return null;
}

const storable = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed() && !s.includes("\u0000");

export const unstorable = (field: string) =>
  new MalformedInputError(
    "invalid_text",
    field,
    `${field}: contains a lone UTF-16 surrogate or a NUL character, which is not valid text`,
  );

/** True when the JSON text nests arrays/objects deeper than `max`; brackets inside strings do not count. */
export function nestsDeeperThan(text: Buffer | string, max: number): boolean {
  const at = typeof text === "string" ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Refuses a decoded body whose strings cannot be stored (req.body of express.json, express.urlencoded or express.text).
 * Runs after the parser; the depth limit already bounds the walk.
 */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  const field = findUnstorableText(req.body);
  next(field ? unstorable(field) : undefined);
};

/** A path that does not decode, and query values that cannot be stored, are refused before routing. */
export const refuseMalformedUrl: RequestHandler = (req, _res, next) => {
  try {
    if (decodeURIComponent(req.path).includes("\u0000")) return next(badPath());
  } catch {
    return next(badPath());
  }
  const field = findUnstorableText(req.query);
  next(field ? unstorable(`query parameter ${field}`) : undefined);
};

/**
 * A body in a type the door does not read is refused (`refuse` builds the door's 415), not ignored: otherwise it
 * reaches the route as no body at all, and a PATCH of XML answers 200 having changed nothing.
 */
export function requireBodyType(types: string[] | ((req: Request) => string[]), refuse: () => Error): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
    next(hasBody && !req.is(typeof types === "function" ? types(req) : types) ? refuse() : undefined);
  };
}

export interface JsonBodyOptions {
  type: string | string[];
  limit: number | string;
  strict: boolean;
  maxDepth: number;
}

/**
 * The JSON body parser of every door: express.json, with the nesting refused at parse time (a scan of the raw body,
 * so a deep body never reaches JSON.parse or a recursive normaliser), then the strings checked.
 */
export function jsonBody(o: JsonBodyOptions): RequestHandler[] {
  const verify = (_req: unknown, _res: unknown, buf: Buffer, encoding: string) => {
    const text = /^utf-?8$/i.test(encoding) ? buf : decoded(buf, encoding);
    if (nestsDeeperThan(text, o.maxDepth)) {
      throw new MalformedInputError(
        "too_deep",
        "body",
        `The request body nests deeper than ${o.maxDepth} levels (JSON_MAX_DEPTH)`,
      );
    }
  };
  return [express.json({ type: o.type, limit: o.limit, strict: o.strict, verify }), refuseUnstorableBody];
}

/** UTF-16 bodies are scanned as text; an encoding TextDecoder lacks (UTF-32) is scanned byte by byte. */
function decoded(buf: Buffer, encoding: string): Buffer | string {
  try {
    return new TextDecoder(encoding).decode(buf);
  } catch {
    return buf;
  }
}
