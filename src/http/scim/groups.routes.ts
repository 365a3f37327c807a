import { type Request, type Response, Router } from "express";
import type { GroupsService } from "../../domain/groups/groups.service";
import type { Group } from "../../domain/groups/group";
import { ctxOf } from "../middleware/request-context";
import { ifMatchVersions, ifNoneMatchHits } from "./etag";
import { groupAttributes } from "./group-attributes";
import { memberView, writeItems } from "./group-writer";
import { toScimGroup } from "./group.mapper";
import { type HandlerResult, createGroup, deleteGroup, patchGroup, replaceGroup } from "./groups.handlers";
import { pageCursors } from "./list-cursor";
import { type ListHead, type ListParams, listParamsFromQuery, listParamsFromSearch } from "./list-request";
import { project } from "./projection";
import { ScimError } from "./scim-errors";
import { SCIM_CONTENT_TYPE } from "./scimmy";
import { etagOf } from "./user.mapper";

export interface ScimGroupsOptions {
  groups: GroupsService;
  maxResults: number;
  maxFilterLength: number;
  maxPatchOperations: number;
  baseUrl: (req: Request) => string;
}

type Query = Record<string, string | undefined>;

/** /Groups (RFC 7644 §3, RFC 7643 §4.2): thin handlers; writes go through groups.handlers.ts, rules live in GroupsService. */
export function scimGroupsRouter(o: ScimGroupsOptions): Router {
  const r = Router({ caseSensitive: false });
  const limits = { maxResults: o.maxResults, maxFilterLength: o.maxFilterLength, resource: "Groups" };
  const deps = { groups: o.groups, maxPatchOperations: o.maxPatchOperations };
  const members = (id: string) => o.groups.memberPages(id);

  /** A page by index (RFC 7644 §3.4.2.4) or, when `cursor` is given, by cursor (RFC 9865 §2). */
  const sendList = async (req: Request, res: Response, params: ListParams) => {
    let groups: Group[];
    let head: ListHead;
    if (params.cursor) {
      const page = await o.groups.page(params.query, params.cursor.keyset);
      groups = page.rows;
      head = { totalResults: page.total, ...pageCursors(params.cursor, page) };
    } else {
      const list = await o.groups.list(params.query);
      groups = list.groups;
      head = { totalResults: list.total, startIndex: params.startIndex };
    }
    const base = o.baseUrl(req);
    const items = groups.map((g) => ({
      resource: project(toScimGroup(g, base), params.attributes, params.excludedAttributes),
      membersOf: g.id,
    }));
    await writeItems(res, 200, items, members, memberView(params.attributes, params.excludedAttributes), base, head);
  };

  /** One group as GET shows it; members are streamed only when the projection asks for them. */
  const sendGroup = async (req: Request, res: Response, id: string, status = 200) => {
    const q = req.query as Query;
    const group = await o.groups.get(id);
    if (status === 200 && req.method === "GET" && ifNoneMatchHits(req, group.version))
      return void res.status(304).set("ETag", etagOf(group.version)).end();
    const base = o.baseUrl(req);
    res.set("ETag", etagOf(group.version));
    const item = {
      resource: project(toScimGroup(group, base), q.attributes, q.excludedAttributes),
      membersOf: group.id,
    };
    await writeItems(res, status, [item], members, memberView(q.attributes, q.excludedAttributes), base);
  };

  const sendResult = (req: Request, res: Response, result: HandlerResult) => {
    if (result.location && result.status === 201) res.set("Location", result.location);
    if (result.version !== undefined) res.set("ETag", etagOf(result.version));
    if (!result.resource) return void res.status(result.status).end();
    const q = req.query as Query;
    res
      .status(result.status)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(project(result.resource, q.attributes, q.excludedAttributes)));
  };

  r.get("/", async (req, res) => sendList(req, res, listParamsFromQuery(req, groupAttributes, limits)));
  r.post("/.search", async (req, res) => sendList(req, res, listParamsFromSearch(req.body, groupAttributes, limits)));

  r.post("/", async (req, res) =>
    sendResult(req, res, await createGroup(deps, ctxOf(req, res, "scim"), req.body, o.baseUrl(req))),
  );
  r.get("/:id", async (req, res) => sendGroup(req, res, req.params.id));
  r.put("/:id", async (req, res) => {
    sendResult(
      req,
      res,
      await replaceGroup(deps, ctxOf(req, res, "scim"), req.params.id, req.body, o.baseUrl(req), ifMatchVersions(req)),
    );
  });
  r.patch("/:id", async (req, res) => {
    const result = await patchGroup(
      deps,
      ctxOf(req, res, "scim"),
      req.params.id,
      req.body,
      o.baseUrl(req),
      ifMatchVersions(req),
    );
    // RFC 7644 §3.5.2: 204 unless the client asked for attributes back.
    const q = req.query as Query;
    if (q.attributes || q.excludedAttributes) return sendGroup(req, res, req.params.id);
    sendResult(req, res, result);
  });
  r.delete("/:id", async (req, res) =>
    sendResult(req, res, await deleteGroup(deps, ctxOf(req, res, "scim"), req.params.id, ifMatchVersions(req))),
  );

  r.all(["/", "/:id", "/.search"], (req) => {
    throw new ScimError(405, null, `Method ${req.method} is not supported on ${req.originalUrl.split("?")[0]}`);
  });
  return r;
}
