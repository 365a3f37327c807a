import express, { Router } from "express";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestApp, type TestApp } from "../support/app";
import { appRoutes, type RouteKey, template } from "../support/routes";

// js-yaml ships no types of its own; only load() is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { safeLoad(text: string): unknown };

type Json = Record<string, unknown>;
interface Operation {
  responses?: Record<string, Json>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { responses?: Record<string, Json> };
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const doc = yaml.safeLoad(readFileSync(path.join(__dirname, "../../openapi.yaml"), "utf8")) as OpenApi;
const ADMIN = "/admin/v1";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const key = (r: RouteKey) => `${r.method} ${r.path}`;

function documented(prefix = ADMIN): { key: string; op: Operation; where: string }[] {
  return Object.entries(doc.paths)
    .filter(([p]) => p.startsWith(prefix))
    .flatMap(([p, item]) =>
      Object.entries(item)
        .filter(([m]) => METHODS.includes(m))
        .map(([m, op]) => ({
          key: key({ method: m.toUpperCase(), path: template(p) }),
          op,
          where: `${m.toUpperCase()} ${p}`,
        })),
    );
}

/** A response object, following a `$ref` into components/responses. */
function resolve(response: Json): Json {
  const ref = response.$ref as string | undefined;
  if (!ref) return response;
  const name = /^#\/components\/responses\/(.+)$/.exec(ref)?.[1];
  const target = name ? doc.components.responses?.[name] : undefined;
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return resolve(target);
}

describe("openapi.yaml and the routes the app really has (/admin/v1)", () => {
  const routed = () =>
    new Set(
      appRoutes(t.app)
        .filter((r) => r.path.startsWith(ADMIN))
        .map(key),
    );

  it("finds the admin routes by walking the app (the walker itself works)", () => {
    expect([...routed()]).toEqual(
      expect.arrayContaining(["POST /admin/v1/users", "GET /admin/v1/users/{}", "DELETE /admin/v1/entities/{}"]),
    );
  });

  it("walks routers mounted in routers, path lists and parameters, and leaves catch-alls out", () => {
    const handler = () => undefined;
    const inner = Router();
    inner.get("/:id", handler);
    inner.post(["/a", "/b"], handler);
    inner.all("/x", handler);
    inner.use(handler);
    const middle = Router();
    middle.use("/inner", inner);
    const app = express();
    app.use("/admin/v1", middle);
    expect(appRoutes(app).map(key).sort()).toEqual([
      "GET /admin/v1/inner/{}",
      "POST /admin/v1/inner/a",
      "POST /admin/v1/inner/b",
    ]);
  });

  it("documents every admin route the app has", () => {
    const inDoc = new Set(documented().map((d) => d.key));
    expect([...routed()].filter((r) => !inDoc.has(r)).sort()).toEqual([]);
  });

  it("lists no admin route the app does not have", () => {
    const routes = routed();
    expect(
      documented()
        .map((d) => d.key)
        .filter((d) => !routes.has(d))
        .sort(),
    ).toEqual([]);
  });

  it("declares, for every admin operation, error responses and only as application/problem+json", () => {
    const faults: string[] = [];
    for (const { op, where } of documented()) {
      const errors = Object.entries(op.responses ?? {}).filter(([status]) => /^[45]/.test(status));
      if (errors.length === 0) faults.push(`${where}: no 4xx/5xx response declared`);
      for (const [status, response] of errors) {
        const content = resolve(response).content as Json | undefined;
        const types = Object.keys(content ?? {});
        if (types.length !== 1 || types[0] !== "application/problem+json")
          faults.push(`${where} ${status}: ${types.join(", ") || "no content"}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it("is valid OpenAPI 3.1 at the top level", () => {
    expect(String((doc as unknown as Json).openapi)).toMatch(/^3\.1\./);
  });
});

// --- auth lane: the end-user door is held to the same two-way check ---
describe("openapi.yaml and the routes the app really has (/auth)", () => {
  const AUTH = "/auth/";
  it("documents every /auth route, and no route the app does not have", () => {
    const routed = new Set(
      appRoutes(t.app)
        .filter((r) => r.path.startsWith(AUTH))
        .map(key),
    );
    const inDoc = new Set(documented(AUTH).map((d) => d.key));
    expect(routed.size).toBeGreaterThanOrEqual(4);
    expect([...routed].filter((r) => !inDoc.has(r)).sort()).toEqual([]);
    expect([...inDoc].filter((d) => !routed.has(d)).sort()).toEqual([]);
  });

  it("declares every /auth error as application/problem+json (a page's errors as pages: the sign-in door)", () => {
    const isPage = (op: Operation) =>
      Object.values(op.responses ?? {}).some(
        (r) => Object.keys((resolve(r).content as Json | undefined) ?? {}).join() === "text/html",
      );
    const faults = documented(AUTH)
      .filter(({ op }) => !isPage(op))
      .flatMap(({ op, where }) =>
        Object.entries(op.responses ?? {})
          .filter(([status]) => /^[45]/.test(status))
          .filter(
            ([, response]) =>
              Object.keys((resolve(response).content as Json | undefined) ?? {}).join() !== "application/problem+json",
          )
          .map(([status]) => `${where} ${status}`),
      );
    expect(faults).toEqual([]);
  });
});
