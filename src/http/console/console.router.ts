import express, { Router } from "express";
import type { Services } from "../../composition";
import type { Config } from "../../config/env";
import { issuerOf } from "../../config/issuer";
import { consoleAssets } from "./assets";
import { checkCsrf } from "./csrf";
import { consoleErrorPage, consoleNotFound, refuseReadOnly } from "./errors";
import { OwnClient } from "./own-client";
import { CONSOLE_PAGES } from "./pages";
import { consoleSecurityHeaders } from "./security";
import { localsOf, consoleSession } from "./session";
import { consoleSignInRoutes, consoleSignOutRoute } from "./sign-in.routes";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * /console, the admin console (decision 0136): server-rendered pages over the same services as /admin/v1. Order
 * matters: security headers on everything; assets and the sign-in pages without a session; then the session (the
 * person's rights read now), form bodies, the CSRF check of every change, auditors kept read-only, and the pages.
 */
export function consoleRouter(cfg: Config, services: Services): Router {
  const issuer = issuerOf(cfg);
  const own = new OwnClient({ issuer, clients: services.oidcClients, timeoutMs: cfg.OUTBOUND_TIMEOUT_MS });
  const signIn = {
    own,
    box: services.box,
    sessions: services.consoleSessions,
    access: services.access,
    secure: issuer.startsWith("https:"),
  };
  const r = Router();
  r.use(consoleSecurityHeaders([new URL(issuer).origin]));
  r.use(consoleAssets());
  r.use(consoleSignInRoutes(signIn));
  r.use(consoleSession({ sessions: services.consoleSessions, access: services.access }));
  r.use(express.urlencoded({ extended: false, limit: cfg.BODY_LIMIT_BYTES, parameterLimit: 10_000 }));
  r.use(checkCsrf(new URL(issuer).origin));
  r.use((req, res, next) => {
    if (SAFE.has(req.method) || req.path === "/sign-out" || localsOf(res).principal.role === "admin") return next();
    refuseReadOnly(req, res);
  });
  r.use(consoleSignOutRoute(signIn));
  for (const page of CONSOLE_PAGES) r.use(page({ services, cfg }));
  r.use(consoleNotFound);
  r.use(consoleErrorPage());
  return r;
}
