import express, { Request, Router } from "express";
import { GroupsService } from "../../domain/groups/groups.service";
import { TokensService } from "../../domain/tokens/tokens.service";
import { UsersService } from "../../domain/users/users.service";
import { bearerAuth } from "../middleware/bearer-auth";
import { JwtVerifier } from "../middleware/jwt-verifier";
import { scimDiscoveryRouter } from "./discovery.routes";
import { scimGroupsRouter } from "./groups.routes";
import { ScimError, scimErrorHandler, sendScimError } from "./scim-errors";
import { SCIM_BASE_PATH, declareScimResources } from "./scimmy";
import { rootSearch } from "./search.routes";
import { scimUsersRouter } from "./users.routes";

export interface ScimDeps {
  users: UsersService;
  groups: GroupsService;
  tokens: TokensService;
  maxResults: number;
  maxFilterLength: number;
  bodyLimitBytes: number;
  publicBaseUrl?: string;
  jwt?: JwtVerifier;
}

const JSON_TYPES = ["application/scim+json", "application/json", "application/*+json"];

/** The SCIM 2.0 door, mounted at /scim/v2 (RFC 7644). */
export function scimRouter(d: ScimDeps): Router {
  declareScimResources({ maxResults: d.maxResults, maxPayloadSize: d.bodyLimitBytes });
  const baseUrl = (req: Request) => `${d.publicBaseUrl?.replace(/\/$/, "") ?? `${req.protocol}://${req.get("host")}`}${SCIM_BASE_PATH}`;
  const r = Router({ caseSensitive: false });
  r.use(bearerAuth({ tokens: d.tokens, scopes: ["scim"], jwt: d.jwt }, (res, f) => sendScimError(res, f.status, null, f.detail)));
  r.use((req, _res, next) => {
    const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
    if (hasBody && !req.is(JSON_TYPES)) throw new ScimError(415, null, "Send the body as application/scim+json or application/json");
    next();
  });
  r.use(express.json({ type: JSON_TYPES, limit: d.bodyLimitBytes, strict: false }));

  const users = scimUsersRouter({ users: d.users, maxResults: d.maxResults, maxFilterLength: d.maxFilterLength, baseUrl });
  r.use("/Users", users);
  r.use("/Groups", scimGroupsRouter({ groups: d.groups, maxResults: d.maxResults, maxFilterLength: d.maxFilterLength, baseUrl }));
  r.post("/.search", rootSearch({ users: d.users, groups: d.groups, maxResults: d.maxResults, maxFilterLength: d.maxFilterLength, baseUrl }));
  r.use(scimDiscoveryRouter());
  r.all(["/Bulk", "/Me"], () => {
    throw new ScimError(501, null, "This resource type is not supported yet");
  });
  r.use((req) => {
    throw new ScimError(404, null, `No SCIM endpoint at ${req.originalUrl.split("?")[0]}`);
  });
  r.use(scimErrorHandler);
  return r;
}
