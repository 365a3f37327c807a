import { type Request, type Response, Router } from "express";
import type { UsersService } from "../../domain/users/users.service";
import type { User } from "../../domain/users/user";
import { ctxOf } from "../middleware/request-context";
import { ifMatchVersions, ifNoneMatchHits } from "./etag";
import { pageCursors } from "./list-cursor";
import {
  type ListHead,
  type ListParams,
  listParamsFromQuery,
  listParamsFromSearch,
  listResponse,
} from "./list-request";
import { project } from "./projection";
import { ScimError } from "./scim-errors";
import { SCIM_CONTENT_TYPE } from "./scimmy";
import { userAttributes } from "./user-attributes";
import { etagOf, toScimUser } from "./user.mapper";
import { type ScimWriteResult, createUser, deleteUser, patchUser, replaceUser } from "./users.handlers";

export interface ScimUsersOptions {
  users: UsersService;
  maxResults: number;
  maxFilterLength: number;
  maxPatchOperations: number;
  strictAttributes?: boolean;
  baseUrl: (req: Request) => string;
}

/** /Users (RFC 7644 §3): thin routes over users.handlers.ts (writes) and UsersService (reads). */
export function scimUsersRouter(o: ScimUsersOptions): Router {
  const r = Router({ caseSensitive: false });
  const limits = { maxResults: o.maxResults, maxFilterLength: o.maxFilterLength, resource: "Users" };

  const deps = { users: o.users, maxPatchOperations: o.maxPatchOperations, strictAttributes: o.strictAttributes };
  const sendResource = (
    req: Request,
    res: Response,
    status: number,
    resource: Record<string, unknown>,
    version: number,
  ) => {
    const q = req.query as Record<string, string | undefined>;
    res
      .status(status)
      .set("ETag", etagOf(version))
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(project(resource, q.attributes, q.excludedAttributes)));
  };
  const sendWrite = (req: Request, res: Response, w: ScimWriteResult) => {
    if (w.status === 201 && w.location) res.set("Location", w.location);
    if (!w.resource || w.version === undefined) return void res.status(w.status).end();
    sendResource(req, res, w.status, w.resource, w.version);
  };

  /** A page by index (RFC 7644 §3.4.2.4) or, when `cursor` is given, by cursor (RFC 9865 §2). */
  const sendList = async (req: Request, res: Response, params: ListParams) => {
    let users: User[];
    let head: ListHead;
    if (params.cursor) {
      const page = await o.users.page(params.query, params.cursor.keyset);
      users = page.rows;
      head = { totalResults: page.total, ...pageCursors(params.cursor, page) };
    } else {
      const list = await o.users.list(params.query);
      users = list.users;
      head = { totalResults: list.total, startIndex: params.startIndex };
    }
    const base = o.baseUrl(req);
    const resources = users.map((u) => project(toScimUser(u, base), params.attributes, params.excludedAttributes));
    res
      .status(200)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(listResponse(head, resources)));
  };

  r.get("/", async (req, res) => sendList(req, res, listParamsFromQuery(req, userAttributes, limits)));
  r.post("/.search", async (req, res) => sendList(req, res, listParamsFromSearch(req.body, userAttributes, limits)));

  r.post("/", async (req, res) =>
    sendWrite(req, res, await createUser(deps, ctxOf(req, res, "scim"), req.body, o.baseUrl(req))),
  );

  r.get("/:id", async (req, res) => {
    const user = await o.users.get(req.params.id);
    if (ifNoneMatchHits(req, user.version)) return void res.status(304).set("ETag", etagOf(user.version)).end();
    sendResource(req, res, 200, toScimUser(user, o.baseUrl(req)), user.version);
  });

  r.put("/:id", async (req, res) => {
    sendWrite(
      req,
      res,
      await replaceUser(deps, ctxOf(req, res, "scim"), req.params.id, req.body, o.baseUrl(req), ifMatchVersions(req)),
    );
  });

  r.patch("/:id", async (req, res) => {
    sendWrite(
      req,
      res,
      await patchUser(deps, ctxOf(req, res, "scim"), req.params.id, req.body, o.baseUrl(req), ifMatchVersions(req)),
    );
  });

  r.delete("/:id", async (req, res) =>
    sendWrite(req, res, await deleteUser(deps, ctxOf(req, res, "scim"), req.params.id, ifMatchVersions(req))),
  );

  r.all(["/", "/:id", "/.search"], (req) => {
    throw new ScimError(405, null, `Method ${req.method} is not supported on ${req.originalUrl.split("?")[0]}`);
  });
  return r;
}
