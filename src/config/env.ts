import { z } from "zod";
import { duration, durationList, trustProxy } from "./env-values";

/** Every setting Roster reads, with its default. `.env.example` lists the same names. */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(5488),
    // shared_buffers of the embedded PostgreSQL (not of DATABASE_URL's, which its operator tunes); unset: an eighth of
    // the machine's memory, 128MB to 2GB (src/db/embedded.ts).
    EMBEDDED_PG_SHARED_BUFFERS: z
      .string()
      .regex(/^[1-9]\d{0,6}(kB|MB|GB)$/, "must be a size with its unit, such as 512MB or 2GB")
      .optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    // Bounded database waits, ms (0 = none): a pool slot or new connection; a statement and a lock (server side); a
    // reply on the socket (client side: a stalled connection answers 503 and is discarded). Migrations are exempt.
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(3000),
    DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(6000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    PUBLIC_BASE_URL: z.url().optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    // Deepest nesting of arrays/objects a JSON body may have (every door, /Bulk too); deeper is a 400 before parsing.
    JSON_MAX_DEPTH: z.coerce.number().int().min(8).max(1000).default(32),
    SCIM_MAX_RESULTS: z.coerce.number().int().min(1).max(10_000).default(200),
    SCIM_FILTER_MAX_LENGTH: z.coerce.number().int().min(16).max(65_536).default(2048),
    SCIM_BULK_MAX_OPERATIONS: z.coerce.number().int().min(1).max(100_000).default(1000),
    SCIM_BULK_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(1_048_576),
    SCIM_PATCH_MAX_OPERATIONS: z.coerce.number().int().min(1).max(100_000).default(1000),
    // An attribute the User schema does not know in a POST/PUT: ignored (logged, audited) unless strict, then a 400.
    SCIM_STRICT_ATTRIBUTES: z.stringbool().default(false),
    // Requests a minute per SCIM credential (a token, or a JWT's issuer and subject), shared by every replica; 0 = no
    // limit. A /Bulk request counts each operation, so the budget is at least SCIM_BULK_MAX_OPERATIONS.
    SCIM_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
    TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    SCIM_JWT_ISSUER: z.string().min(1).optional(),
    SCIM_JWT_AUDIENCE: z.string().min(1).optional(),
    SCIM_JWT_JWKS_URL: z.url().optional(),
    SCIM_JWT_ALGORITHMS: z
      .string()
      .regex(/^[A-Z0-9]+(,[A-Z0-9]+)*$/, "comma-separated JWS algorithms, e.g. RS256")
      .default("RS256"),
    ADMIN_JWT_ISSUER: z.string().min(1).optional(),
    ADMIN_JWT_AUDIENCE: z.string().min(1).optional(),
    ADMIN_JWT_JWKS_URL: z.url().optional(),
    ADMIN_JWT_ALGORITHMS: z
      .string()
      .regex(/^[A-Z0-9]+(,[A-Z0-9]+)*$/, "comma-separated JWS algorithms, e.g. RS256")
      .default("RS256"),
    ADMIN_JWT_ROLE_CLAIM: z.string().min(1).default("roles"),
    ADMIN_JWT_LOGIN_CLAIM: z.string().min(1).default("email"),
    ADMIN_JWT_ADMIN_ROLE: z.string().min(1).default("admin"),
    ADMIN_JWT_AUDITOR_ROLE: z.string().min(1).default("auditor"),
    // people (admin door): manual-creation policy, SSO-only mode, batch size, SCIM -> entity mapping
    SSO_ONLY: z.stringbool().default(false),
    // outbound calls to admin-typed URLs (webhooks, company IdPs, back-channel logout): src/net/outbound-target.ts
    ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
    // seals secrets Roster reads back (signing keys, IdP client secrets, webhook secrets): src/config/key-encryption.ts
    KEY_ENCRYPTION_SECRET: z.string().min(32).optional(),
    OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    // OpenID Provider: how often each replica checks for a rotated signing key (npx roster keys rotate).
    OIDC_KEY_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    ADMIN_USERNAME_POLICY: z.enum(["first.last", "email", "free"]).default("first.last"),
    ADMIN_NAME_MIN_LENGTH: z.coerce.number().int().min(0).max(100).default(3),
    ADMIN_NAME_ALLOW_DIGITS: z.stringbool().default(false),
    ADMIN_BATCH_MAX_LINES: z.coerce.number().int().min(1).max(100_000).default(1000),
    SCIM_ENTITY_MAPPING: z.enum(["none", "department", "organization"]).default("none"),
    // Admin mass actions: selections up to this size are answered at once, larger ones run as background jobs.
    ADMIN_ACTIONS_SYNC_MAX: z.coerce.number().int().min(0).max(10_000).default(500),
    ADMIN_JOBS_CONCURRENCY: z.coerce.number().int().min(0).max(32).default(2),
    ADMIN_JOBS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    // Imports (POST /admin/v1/imports): rows per batch (one transaction each), import loops per process (0: another
    // replica works them), the largest upload, and the share of an entity's people a sync may deactivate unconfirmed.
    // A batch takes at most the rest of one range of the file (1,000 rows, as stored: decision 0155).
    IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    IMPORT_CONCURRENCY: z.coerce.number().int().min(0).max(16).default(1),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(512 * 1024 * 1024),
    SYNC_MAX_DEACTIVATE_PERCENT: z.coerce.number().min(0).max(100).default(20),
    // Imports finished (succeeded, failed, cancelled) more than this many days ago are deleted with their rows.
    IMPORTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // How far the server's heap may grow past what its last full collection left, in percent (0: V8 chooses, 1.1-4x).
    HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(20),
    // How often each server seals committed audit records into the hash chain (reads also seal first, whatever this is).
    AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
    // Process role: `all` serves HTTP and runs the worker; `web` only HTTP; `worker` only the worker (plus health and metrics).
    ROLE: z.enum(["all", "web", "worker"]).default("all"),
    // The outbox worker: loops per process, idle poll, claim lease (a dead claimer's jobs come back after it), retries.
    WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(4),
    WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    // how often a worker folds the user list tallies' deltas (src/domain/users/user-list.tallies.ts)
    USER_TALLY_FOLD_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(20),
    WORKER_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
    WORKER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    WORKER_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    // The events feed (GET /admin/v1/events) keeps events this long, whatever the outbox does; the worker prunes.
    EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // Webhook deliveries (src/worker/webhooks.loop.ts): delivery loops per process (0 = none here), deliveries
    // claimed per batch, the delays after each failed attempt (spent = failed; default ~2.9 days in all), and how long
    // a rotated-out secret still signs. Each attempt is bounded by OUTBOUND_TIMEOUT_MS.
    WEBHOOK_LOOPS: z.coerce.number().int().min(0).max(64).default(4),
    WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    WEBHOOK_RETRY_SCHEDULE: durationList().default(
      [5, 30, 120, 900, 3600, 10_800, 21_600, 43_200, 86_400, 86_400].map((s) => s * 1000),
    ),
    WEBHOOK_SECRET_OVERLAP: duration().default(24 * 3600 * 1000),
    // Invitations and mail: no SMTP_URL = the dev mailbox under DATA_DIR/mail (and the link in the log).
    PLATFORM_NAME: z.string().min(1).max(100).default("Roster"),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default("Roster <no-reply@roster.local>"),
    INVITE_TTL: duration().default(24 * 3600 * 1000),
    INVITE_LINK_TEMPLATE: z
      .string()
      .regex(/\{token\}/, "must contain {token}")
      .optional(),
    DEFAULT_LANGUAGE: z.enum(["en", "fr"]).default("en"),
    SMS_PROVIDER: z.enum(["dev"]).default("dev"),
    // --- auth (end-user door /auth): password policy, rate limits, and which proxies' X-Forwarded-For to believe ---
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
    PASSWORD_MIN_SCORE: z.coerce
      .number()
      .int()
      .min(1)
      .max(4)
      .default(3)
      .transform((n) => n as 1 | 2 | 3 | 4),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
    // self sign-up forms posted per client address per minute (429 beyond), on top of the auth door's limits
    SIGNUP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(5),
    AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: z.coerce.number().int().min(1).max(100_000).default(10),
    TRUST_PROXY: trustProxy().default(false),
    CONSOLE_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    CONSOLE_SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
  })
  .superRefine((c, ctx) => {
    // A slow but live statement is cancelled by the server (its connection stays usable) before the client gives up on it.
    if (
      c.DB_QUERY_TIMEOUT_MS > 0 &&
      c.DB_STATEMENT_TIMEOUT_MS > 0 &&
      c.DB_QUERY_TIMEOUT_MS <= c.DB_STATEMENT_TIMEOUT_MS
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["DB_QUERY_TIMEOUT_MS"],
        message: "must be longer than DB_STATEMENT_TIMEOUT_MS",
      });
    }
    if (c.SCIM_RATE_LIMIT_PER_MINUTE > 0 && c.SCIM_RATE_LIMIT_PER_MINUTE < c.SCIM_BULK_MAX_OPERATIONS) {
      ctx.addIssue({
        code: "custom",
        path: ["SCIM_RATE_LIMIT_PER_MINUTE"],
        message: "must be 0 or at least SCIM_BULK_MAX_OPERATIONS (a /Bulk request counts each operation)",
      });
    }
    for (const prefix of ["SCIM", "ADMIN"] as const) {
      const keys = [`${prefix}_JWT_ISSUER`, `${prefix}_JWT_AUDIENCE`, `${prefix}_JWT_JWKS_URL`] as const;
      const set = keys.map((k) => c[k]);
      if (set.some(Boolean) && !set.every(Boolean)) {
        const missing = keys.find((k) => !c[k])!;
        ctx.addIssue({ code: "custom", path: [missing], message: `set ${keys.join(", ")} together` });
      }
    }
  });

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment once; the message names the first bad variable in one line. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid environment variable ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`);
  }
  return result.data;
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}
