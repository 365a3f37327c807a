import type { RequestHandler } from "express";

/**
 * Headers of every console answer (decision 0136). Scripts and styles only from Roster's own files (htmx and the
 * stylesheet under /console/assets), never inline, so the Content-Security-Policy needs no 'unsafe-inline'; forms
 * post to Roster only (`formTargets` adds the provider's address when it differs, for the sign-out redirect); no
 * framing, no referrer leaving the console, nothing cached (pages show personal data).
 */
export function consoleSecurityHeaders(formTargets: readonly string[] = []): RequestHandler {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  return (_req, res, next) => {
    res.set({
      "Content-Security-Policy": csp,
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
      "Cache-Control": "no-store",
    });
    next();
  };
}
