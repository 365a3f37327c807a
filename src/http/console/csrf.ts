import { timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { localsOf } from "./session";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection of every console change (decision 0136): the synchronizer token of the session must come back with
 * the request: the `_csrf` field of a form (CsrfField), the `X-CSRF-Token` header (htmx requests, set once on the
 * body), or, for a multipart upload whose body only its route reads, the `_csrf` query parameter of the form's action.
 * A request a browser says came from another site (Sec-Fetch-Site, Origin) is refused before the token is looked at.
 * The session cookie is SameSite=Lax besides. Refused: 403, nothing done.
 */
export function checkCsrf(publicOrigin: string): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    const crossSite =
      (site && site !== "same-origin" && site !== "none") || (origin && !sameOrigin(origin, req, publicOrigin));
    const given = tokenOf(req);
    if (crossSite || !given || !equal(given, localsOf(res).csrfToken)) {
      res
        .status(403)
        .type("text/plain")
        .send("Refused: this form is out of date or did not come from the console (CSRF).");
      return;
    }
    next();
  };
}

function tokenOf(req: Request): string | null {
  const header = req.get("x-csrf-token");
  if (header) return header;
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body._csrf === "string") return body._csrf;
  const query = req.query as Record<string, unknown>;
  if (req.is("multipart/form-data") && typeof query._csrf === "string") return query._csrf;
  return null;
}

function sameOrigin(origin: string, req: Request, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  // behind no proxy, the address the browser used is the request's own host
  return origin === `${req.protocol}://${req.get("host")}`;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
