import { Request, Response, Router } from "express";
import { User, UserWrite } from "../../domain/users/user";
import { profileOf } from "../../domain/users/users.repository";
import { UsersService } from "../../domain/users/users.service";
import { ctxOf } from "../middleware/request-context";
import { normalisePatchBody } from "./dialect";
import { ifMatchVersions, ifNoneMatchHits } from "./etag";
import { ListParams, listParamsFromQuery, listParamsFromSearch, listResponse } from "./list-request";
import { project } from "./projection";
import { ScimError, fromScimmy } from "./scim-errors";
import { SCIMMY, SCIM_CONTENT_TYPE } from "./scimmy";
import { parseUserBody } from "./user-input";
import { userAttributes } from "./user-attributes";
import { etagOf, fromScimUser, toScimUser } from "./user.mapper";

export interface ScimUsersOptions {
  users: UsersService;
  maxResults: number;
  maxFilterLength: number;
  baseUrl: (req: Request) => string;
}

/** /Users (RFC 7644 §3): thin handlers; every rule lives in UsersService. */
export function scimUsersRouter(o: ScimUsersOptions): Router {
  const r = Router({ caseSensitive: false });
  const limits = { maxResults: o.maxResults, maxFilterLength: o.maxFilterLength };

  const sendUser = (req: Request, res: Response, user: User, status = 200) => {
    const q = req.query as Record<string, string | undefined>;
    res.status(status).set("ETag", etagOf(user.version)).type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(project(toScimUser(user, o.baseUrl(req)), q.attributes, q.excludedAttributes)));
  };

  const sendList = async (req: Request, res: Response, params: ListParams) => {
    const { total, users } = await o.users.list(params.query);
    const base = o.baseUrl(req);
    const resources = users.map((u) => project(toScimUser(u, base), params.attributes, params.excludedAttributes));
    res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(listResponse(total, params.startIndex, resources)));
  };

  r.get("/", async (req, res) => sendList(req, res, listParamsFromQuery(req, userAttributes, limits)));
  r.post("/.search", async (req, res) => sendList(req, res, listParamsFromSearch(req.body, userAttributes, limits)));

  r.post("/", async (req, res) => {
    const write = parseUserBody(req.body);
    const user = await o.users.create(ctxOf(req, res, "scim"), write, "scim", res.locals.auth?.actor.name ?? null);
    res.set("Location", `${o.baseUrl(req)}/Users/${user.id}`);
    sendUser(req, res, user, 201);
  });

  r.get("/:id", async (req, res) => {
    const user = await o.users.get(req.params.id);
    if (ifNoneMatchHits(req, user.version)) return void res.status(304).set("ETag", etagOf(user.version)).end();
    sendUser(req, res, user);
  });

  r.put("/:id", async (req, res) => {
    const write = parseUserBody(req.body);
    const { user } = await o.users.update(ctxOf(req, res, "scim"), req.params.id, () => write, { ifMatch: ifMatchVersions(req) });
    sendUser(req, res, user);
  });

  r.patch("/:id", async (req, res) => {
    const base = o.baseUrl(req);
    const { user } = await o.users.update(ctxOf(req, res, "scim"), req.params.id, (current) => applyPatch(req.body, current, base), { ifMatch: ifMatchVersions(req) });
    sendUser(req, res, user);
  });

  r.delete("/:id", async (req, res) => {
    await o.users.remove(ctxOf(req, res, "scim"), req.params.id, { ifMatch: ifMatchVersions(req) });
    res.status(204).end();
  });

  r.all(["/", "/:id", "/.search"], (req) => {
    throw new ScimError(405, null, `Method ${req.method} is not supported on ${req.originalUrl.split("?")[0]}`);
  });
  return r;
}

/** Runs scimmy's PatchOp engine (RFC 7644 §3.5.2) on the current state; UsersService validates and writes the result. */
async function applyPatch(body: unknown, current: User, baseUrl: string): Promise<UserWrite> {
  const scim = toScimUser(current, baseUrl);
  const message = newPatchOp(normalisePatchBody(body, scim));
  const { meta: _meta, ...data } = scim;
  const patched = await message.apply(new SCIMMY.Schemas.User(data, "out")).catch((e: unknown) => {
    throw fromScimmy(e, "invalidValue", "Invalid PATCH value");
  });
  if (!patched) return { profile: profileOf(current) };
  // scimmy coerced every value it set on the instance; the domain rules run on the result.
  // The password is kept on the instance but left out of its JSON form (returned: never).
  const password = (patched as unknown as { password?: unknown }).password;
  return fromScimUser({ ...JSON.parse(JSON.stringify(patched)), password });
}

function newPatchOp(body: unknown): InstanceType<typeof SCIMMY.Messages.PatchOp> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ScimError(400, "invalidSyntax", "The request body must be a PatchOp object");
  try {
    return new SCIMMY.Messages.PatchOp(body as never);
  } catch (e) {
    throw fromScimmy(e, "invalidSyntax", "Invalid PatchOp");
  }
}
