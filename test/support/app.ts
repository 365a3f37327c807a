import { Express } from "express";
import request from "supertest";
import { DataSource } from "typeorm";
import { createApp, createServices, Services } from "../../src/app";
import { parseConfig } from "../../src/config/env";
import { systemActor } from "../../src/domain/context";
import { openTestDataSource, resetDatabase } from "./database";

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
  close(): Promise<void>;
}

/** The real app on this worker's real PostgreSQL, emptied, with a fresh SCIM token. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const ds = await openTestDataSource();
  await resetDatabase(ds);
  const cfg = parseConfig({ ...process.env, ...env });
  const services = createServices(ds, cfg);
  const app = createApp(cfg, ds, services);
  const { token } = await services.tokens.create({ actor: systemActor, door: "cli", requestId: null }, "test-idp", "scim");
  const withAuth = (t: request.Test) => t.set("Authorization", `Bearer ${token}`);
  const withBody = (t: request.Test, body: unknown) => (body === undefined ? withAuth(t) : withAuth(t).set("Content-Type", "application/scim+json").send(JSON.stringify(body)));
  const base = "/scim/v2";
  return {
    app, ds, services, scimToken: token,
    scim: {
      get: (p) => withAuth(request(app).get(base + p)),
      post: (p, b) => withBody(request(app).post(base + p), b),
      put: (p, b) => withBody(request(app).put(base + p), b),
      patch: (p, b) => withBody(request(app).patch(base + p), b),
      delete: (p) => withAuth(request(app).delete(base + p)),
    },
    close: () => ds.destroy(),
  };
}
