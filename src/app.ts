import express, { type Express } from "express";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import pinoHttp from "pino-http";
import type { DataSource } from "typeorm";
import type { Config } from "./config/env";
import type { Services } from "./composition";
import { authRouter } from "./http/auth/auth.router";
import { redactLinkToken } from "./http/auth/link-redaction";
import { join } from "node:path";
import { DevMailboxReader } from "./modules/mail/dev-mailbox.reader";
import { invitationLinks } from "./modules/invitations/links";
import { type Metrics, createMetrics } from "./http/metrics";
import { adminRouter } from "./http/admin/admin.router";
import { createJwtChecker, createJwtVerifier } from "./http/middleware/jwt-verifier";
import { scimRouter } from "./http/scim/scim.router";
import { setRetryAfterOn503 } from "./http/shared/retry-after";
import { logger } from "./log";
import { keyEncryptionSecret } from "./config/key-encryption";
import { issuerOf } from "./config/issuer";
import { signInMethodRouters } from "./http/auth/sign-in-methods";
import { completeSignIn } from "./http/oidc/complete-sign-in.impl";
import { ProviderHolder } from "./http/oidc/provider-holder";
import { signInRouter } from "./http/oidc/sign-in.routes";
import { consoleRouter } from "./http/console/console.router";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The express app: mounts the doors and the operational endpoints (only those under ROLE=worker); no logic of its own.
 * `metrics` is shared with the worker of the same process, which adds its own to the registry.
 */
export function createApp(
  cfg: Config,
  ds: DataSource,
  services: Services,
  metrics: Metrics = createMetrics(),
): Express {
  const app = express();
  app.set("etag", false);
  app.set("x-powered-by", false);
  // Which proxies' X-Forwarded-For to believe for req.ip (the auth door's per-address rate limits); false by default.
  app.set("trust proxy", cfg.TRUST_PROXY);
  // Flat query objects: scimmy-style `filter`/`count` strings, no qs nesting (express 5 re-parses req.query on each access).
  app.set("query parser", (s: string) => Object.fromEntries(new URLSearchParams(s)));

  const requestId = (req: IncomingMessage, res: ServerResponse) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    return id;
  };
  if (logger.isLevelEnabled("info")) {
    // 501 (an optional resource not offered, such as SCIM's /Me) is an expected answer, not a fault: logged at info
    // like a 4xx, without the "failed with status code" error and stack pino-http attaches to every 5xx.
    const expected = (res: ServerResponse) => res.statusCode === 501;
    app.use(
      pinoHttp({
        logger,
        genReqId: requestId,
        customLogLevel: (_req, res, err) => (err || (res.statusCode >= 500 && !expected(res)) ? "error" : "info"),
        customErrorObject: (_req, res, _err, val) =>
          expected(res) ? { res: val.res, responseTime: val.responseTime } : val,
        customErrorMessage: (_req, res) => (expected(res) ? "request completed" : "request errored"),
        serializers: { req: (req: { url: string }) => ({ ...req, url: redactLinkToken(req.url) }) },
      }),
    );
  } else {
    // Above info no request line is written; pino-http would still build a child logger per request.
    app.use((req, res, next) => {
      req.id = requestId(req, res);
      req.log = logger;
      next();
    });
  }
  app.use(metrics.middleware);

  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", async (_req, res) => {
    try {
      await Promise.race([
        ds.query("SELECT 1"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
      ]);
      res.json({ status: "ready" });
    } catch {
      setRetryAfterOn503(res, 503);
      res.status(503).json({ status: "unavailable", detail: "the database does not answer" });
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (cfg.ROLE === "worker") return withNotFound(app);

  app.use(
    "/scim/v2",
    scimRouter({
      users: services.users,
      groups: services.groups,
      tokens: services.tokens,
      maxResults: cfg.SCIM_MAX_RESULTS,
      maxFilterLength: cfg.SCIM_FILTER_MAX_LENGTH,
      bodyLimitBytes: cfg.BODY_LIMIT_BYTES,
      jsonMaxDepth: cfg.JSON_MAX_DEPTH,
      maxPatchOperations: cfg.SCIM_PATCH_MAX_OPERATIONS,
      strictAttributes: cfg.SCIM_STRICT_ATTRIBUTES,
      bulk: { maxOperations: cfg.SCIM_BULK_MAX_OPERATIONS, maxPayloadBytes: cfg.SCIM_BULK_MAX_PAYLOAD_BYTES },
      publicBaseUrl: cfg.PUBLIC_BASE_URL,
      jwt:
        cfg.SCIM_JWT_ISSUER && cfg.SCIM_JWT_AUDIENCE && cfg.SCIM_JWT_JWKS_URL
          ? createJwtVerifier({
              issuer: cfg.SCIM_JWT_ISSUER,
              audience: cfg.SCIM_JWT_AUDIENCE,
              jwksUrl: cfg.SCIM_JWT_JWKS_URL,
              algorithms: cfg.SCIM_JWT_ALGORITHMS.split(","),
            })
          : undefined,
      ds,
      rateLimitPerMinute: cfg.SCIM_RATE_LIMIT_PER_MINUTE,
    }),
  );

  app.use(
    "/admin/v1",
    adminRouter({
      users: services.users,
      tokens: services.tokens,
      access: services.access,
      search: services.search,
      actions: services.actions,
      jobs: services.jobs,
      audit: services.audit,
      bodyLimitBytes: cfg.BODY_LIMIT_BYTES,
      jsonMaxDepth: cfg.JSON_MAX_DEPTH,
      entities: services.entities,
      people: services.people,
      batchMaxLines: cfg.ADMIN_BATCH_MAX_LINES,
      scopedGroups: services.scopedGroups,
      invitations: services.invitations,
      credentials: services.credentials,
      settings: services.settings,
      groupInvitations: services.groupInvitations,
      devMailbox: cfg.SMTP_URL ? null : new DevMailboxReader(join(cfg.DATA_DIR, "mail"), invitationLinks(cfg).find),
      deadLetters: services.deadLetters,
      reconciliation: services.reconciliation,
      ssoConnections: services.ssoConnections,
      signUp: services.signUp,
      oidcClients: services.oidcClients,
      signInEvents: services.signInEvents,
      events: services.events,
      webhooks: services.webhooks,
      imports: services.imports,
      importReruns: services.importReruns,
      importMaxBytes: cfg.IMPORT_MAX_BYTES,
      jwt:
        cfg.ADMIN_JWT_ISSUER && cfg.ADMIN_JWT_AUDIENCE && cfg.ADMIN_JWT_JWKS_URL
          ? {
              check: createJwtChecker({
                issuer: cfg.ADMIN_JWT_ISSUER,
                audience: cfg.ADMIN_JWT_AUDIENCE,
                jwksUrl: cfg.ADMIN_JWT_JWKS_URL,
                algorithms: cfg.ADMIN_JWT_ALGORITHMS.split(","),
              }),
              roleClaim: cfg.ADMIN_JWT_ROLE_CLAIM,
              loginClaim: cfg.ADMIN_JWT_LOGIN_CLAIM,
              adminValue: cfg.ADMIN_JWT_ADMIN_ROLE,
              auditorValue: cfg.ADMIN_JWT_AUDITOR_ROLE,
            }
          : undefined,
    }),
  );

  // --- the OpenID Provider: discovery and /oidc/* (oidc-provider), its sign-in pages and the other sign-in methods ---
  const holder = new ProviderHolder(services, {
    issuer: issuerOf(cfg),
    master: keyEncryptionSecret(cfg),
    refreshMs: cfg.OIDC_KEY_REFRESH_SECONDS * 1000,
    trustProxy: cfg.TRUST_PROXY !== false,
  });
  const complete = completeSignIn(services.signIns, holder);
  app.use(holder.middleware());
  app.use("/auth", signInRouter({ cfg, ds, services, holder, complete }));
  for (const router of signInMethodRouters({ cfg, ds, services, complete })) app.use("/auth", router);

  // --- the admin console: server-rendered pages, signed in through the provider above ---
  app.use("/console", consoleRouter(cfg, services));

  // --- auth lane: the end-user door (invitation links, sign-in, password change), rate limited per client address ---
  app.use(
    "/auth",
    authRouter({
      enrolment: services.enrolment,
      credentials: services.credentials,
      ds,
      jsonMaxDepth: cfg.JSON_MAX_DEPTH,
      rateLimitPerMinute: cfg.AUTH_RATE_LIMIT_PER_MINUTE,
      accountFailuresPer15Minutes: cfg.AUTH_ACCOUNT_FAILURES_PER_15_MINUTES,
    }),
  );

  return withNotFound(app);
}

function withNotFound(app: Express): Express {
  app.use((_req, res) => {
    res
      .status(404)
      .type("application/problem+json")
      .send(JSON.stringify({ type: "about:blank", title: "Not Found", status: 404, code: "not_found" }));
  });
  return app;
}
