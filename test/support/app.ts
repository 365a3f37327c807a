import type { Express } from "express";
import request from "supertest";
import type { DataSource } from "typeorm";
import { createApp } from "../../src/app";
import { createServices, type Services } from "../../src/composition";
import { type Config, parseConfig } from "../../src/config/env";
import { createMetrics } from "../../src/http/metrics";
import type { Clock } from "../../src/domain/clock";
import { type RunningWorker, type WorkerDeps, startWorker } from "../../src/worker/worker";
import { SmtpMailer } from "../../src/modules/mail/mailer";
import type { SmsProvider } from "../../src/modules/sms/sms";
import { type SmtpSink, startSmtpSink } from "./smtp-sink";
import { systemActor } from "../../src/domain/context";
import { openTestDataSource, resetDatabase, workerDatabaseUrl } from "./database";

export interface TestApp {
  app: Express;
  ds: DataSource;
  services: Services;
  scimToken: string;
  /** supertest with the SCIM bearer token and content type set. */
  scim: {
    get(path: string): request.Test;
    post(path: string, body?: unknown): request.Test;
    put(path: string, body?: unknown): request.Test;
    patch(path: string, body?: unknown): request.Test;
    delete(path: string): request.Test;
  };
  /** supertest on /admin/v1 with a full admin token (JSON bodies). */
  admin: AdminClient;
  /** The same client with another bearer token (an auditor's, a person's, a JWT). */
  adminAs(token: string): AdminClient;
  cfg: Config;
  /** Starts the worker (outbox consumers, admin jobs) in this process, its metrics on the app's /metrics; stopped by close(). */
  startWorker(deps?: WorkerDeps, env?: Record<string, string>): Promise<RunningWorker>;
  /** Creates a token of `scope`, optionally acting as the person with that userName. */
  token(scope: "scim" | "admin" | "auditor", asUser?: string): Promise<string>;
  close(): Promise<void>;
}

export interface AdminClient {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
}

/** The real app on this worker's real PostgreSQL, emptied, with a fresh SCIM token. */
export async function startTestApp(env: Record<string, string> = {}, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const ds = await openTestDataSource();
  await resetDatabase(ds);
  const cfg = parseConfig({ ...process.env, ...env });
  const services = createServices(ds, cfg, opts.clock);
  const workers: RunningWorker[] = [];
  const metrics = createMetrics();
  const app = createApp(cfg, ds, services, metrics);
  const { token } = await services.tokens.create(
    { actor: systemActor, door: "cli", requestId: null },
    "test-idp",
    "scim",
  );
  const withAuth = (t: request.Test) => t.set("Authorization", `Bearer ${token}`);
  const withBody = (t: request.Test, body: unknown) =>
    body === undefined
      ? withAuth(t)
      : withAuth(t).set("Content-Type", "application/scim+json").send(JSON.stringify(body));
  const base = "/scim/v2";
  let n = 0;
  const makeToken = async (scope: string, asUser?: string) =>
    (
      await services.tokens.create(
        { actor: systemActor, door: "cli", requestId: null },
        `test-${scope}-${++n}`,
        scope,
        asUser,
      )
    ).token;
  const adminAs = (bearer: string): AdminClient => {
    const auth = (t: request.Test) => t.set("Authorization", `Bearer ${bearer}`);
    const json = (t: request.Test, b: unknown) =>
      b === undefined ? auth(t) : auth(t).set("Content-Type", "application/json").send(JSON.stringify(b));
    return {
      get: (p) => auth(request(app).get(`/admin/v1${p}`)),
      post: (p, b) => json(request(app).post(`/admin/v1${p}`), b),
      put: (p, b) => json(request(app).put(`/admin/v1${p}`), b),
      patch: (p, b) => json(request(app).patch(`/admin/v1${p}`), b),
      delete: (p) => auth(request(app).delete(`/admin/v1${p}`)),
    };
  };
  const admin = adminAs(await makeToken("admin"));
  return {
    app,
    ds,
    services,
    scimToken: token,
    admin,
    adminAs,
    token: makeToken,
    scim: {
      get: (p) => withAuth(request(app).get(base + p)),
      post: (p, b) => withBody(request(app).post(base + p), b),
      put: (p, b) => withBody(request(app).put(base + p), b),
      patch: (p, b) => withBody(request(app).patch(base + p), b),
      delete: (p) => withAuth(request(app).delete(base + p)),
    },
    cfg,
    async startWorker(deps = {}, workerEnv = {}) {
      const w = await startWorker(
        await workerDatabaseUrl(),
        services,
        parseConfig({ ...process.env, ...env, ...workerEnv }),
        { registry: metrics.registry, ...deps },
      );
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers.splice(0)) await w.stop();
      await ds.destroy();
    },
  };
}

/**
 * The test app with a real SMTP server (smtp-sink.ts) and the worker sending to it (plus `sms`, when given); the sink
 * closes with the app. WORKER_POLL_MS is 50 unless `env` says otherwise.
 */
export async function startMailingApp(
  env: Record<string, string> = {},
  opts: { clock?: Clock; sms?: SmsProvider } = {},
): Promise<{ t: TestApp; sink: SmtpSink; worker: RunningWorker }> {
  const t = await startTestApp({ WORKER_POLL_MS: "50", ...env }, { clock: opts.clock });
  const sink = await startSmtpSink();
  const worker = await t.startWorker({
    mailer: new SmtpMailer(sink.url, "Roster <no-reply@roster.test>"),
    sms: opts.sms,
  });
  const closeApp = t.close;
  t.close = async () => {
    await closeApp();
    await sink.close();
  };
  return { t, sink, worker };
}
