import type { Express } from "express";

/** One route the app answers: an upper-case method and a path template with `{}` for each parameter. */
export interface RouteKey {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | RegExp | (string | RegExp)[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** `/users/:id` and `/users/{userId}` both become `/users/{}`, so a route and its documented path compare equal. */
export const template = (path: string) => path.replace(/:[A-Za-z_]\w*|\{[^}]+\}/g, "{}").replace(/\/+$/, "") || "/";

const join = (prefix: string, path: string) => (path === "/" ? prefix : `${prefix}${path}`);

/**
 * Every method + path the express app routes, found by walking its router stack (routers mounted with `use` included,
 * whatever router adds them). Catch-all handlers (`all`, plain middleware) are not routes and are left out.
 */
export function appRoutes(app: Express): RouteKey[] {
  const out: RouteKey[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of ([] as string[]).concat(layer.route.path)) {
          for (const m of Object.keys(layer.route.methods))
            if (METHODS.includes(m)) out.push({ method: m.toUpperCase(), path: template(join(prefix, path)) });
        }
      } else if (layer.handle?.stack) {
        for (const path of ([] as (string | RegExp)[]).concat(layer.rawPath ?? "/")) {
          if (typeof path !== "string")
            throw new Error(`a router mounted on a RegExp (${path}) cannot be checked against openapi.yaml`);
          walk(layer.handle.stack, join(prefix, path));
        }
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return out;
}
