import { type Request, Router } from "express";
import type { DataSource } from "typeorm";
import type { GroupsService } from "../../domain/groups/groups.service";
import type { TokensService } from "../../domain/tokens/tokens.service";
import type { UsersService } from "../../domain/users/users.service";
import { bearerAuth } from "../middleware/bearer-auth";
import type { JwtVerifier } from "../middleware/jwt-verifier";
import { jsonBody, refuseMalformedUrl } from "../middleware/well-formed-input";
import { bulkTarget } from "./bulk";
import { scimBulkRouter } from "./bulk.routes";
import { scimDiscoveryRouter } from "./discovery.routes";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "./groups.handlers";
import { scimGroupsRouter } from "./groups.routes";
import { ScimError, scimErrorHandler, sendScimError } from "./scim-errors";
import { SCIM_BASE_PATH, SCIM_JSON_TYPES, declareScimResources } from "./scimmy";
import { scimRateLimit } from "./rate-limit";
import { rootSearch } from "./search.routes";
import { createUser, deleteUser, patchUser, replaceUser } from "./users.handlers";
import { scimUsersRouter } from "./users.routes";

export interface ScimDeps {
  users: UsersService;
  groups: GroupsService;
  tokens: TokensService;
  maxResults: number;
  maxFilterLength: number;
  bodyLimitBytes: number;
  jsonMaxDepth: number;
  maxPatchOperations: number;
  /** Refuse (400) rather than ignore attributes the User schema does not know in a POST/PUT. */
  strictAttributes?: boolean;
  bulk: { maxOperations: number; maxPayloadBytes: number };
  publicBaseUrl?: string;
  jwt?: JwtVerifier;
  /** Where the rate-limit counters are kept (shared by every replica), and each credential's budget a minute (0 = none). */
  ds: DataSource;
  rateLimitPerMinute: number;
}

/** The SCIM 2.0 door, mounted at /scim/v2 (RFC 7644). */
export function scimRouter(d: ScimDeps): Router {
  declareScimResources({
    maxResults: d.maxResults,
    bulk: { maxOperations: d.bulk.maxOperations, maxPayloadSize: d.bulk.maxPayloadBytes },
  });
  const baseUrl = (req: Request) =>
    `${d.publicBaseUrl?.replace(/\/$/, "") ?? `${req.protocol}://${req.get("host")}`}${SCIM_BASE_PATH}`;
  const r = Router({ caseSensitive: false });
  r.use(
    bearerAuth({ tokens: d.tokens, scopes: ["scim"], jwt: d.jwt }, (res, f) =>
      sendScimError(res, f.status, null, f.detail),
    ),
  );
  const limits = scimRateLimit(d.ds, d.rateLimitPerMinute);
  r.use(limits.perRequest);
  r.use(refuseMalformedUrl);
  r.use((req, _res, next) => {
    const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
    if (hasBody && !req.is(SCIM_JSON_TYPES))
      throw new ScimError(415, null, "Send the body as application/scim+json or application/json");
    next();
  });
  // /Bulk reads its own body, under its own limit (RFC 7644 §3.7.4), so it comes before the general parser.
  r.use(
    "/Bulk",
    scimBulkRouter({
      registry: {
        Users: bulkTarget(
          { users: d.users, maxPatchOperations: d.maxPatchOperations, strictAttributes: d.strictAttributes },
          { create: createUser, replace: replaceUser, patch: patchUser, delete: deleteUser },
        ),
        Groups: bulkTarget(
          { groups: d.groups, maxPatchOperations: d.maxPatchOperations },
          { create: createGroup, replace: replaceGroup, patch: patchGroup, delete: deleteGroup },
        ),
      },
      maxOperations: d.bulk.maxOperations,
      maxPayloadBytes: d.bulk.maxPayloadBytes,
      jsonMaxDepth: d.jsonMaxDepth,
      baseUrl,
      chargeOperations: limits.chargeBulk,
    }),
  );
  r.use(jsonBody({ type: SCIM_JSON_TYPES, limit: d.bodyLimitBytes, strict: false, maxDepth: d.jsonMaxDepth }));

  const users = scimUsersRouter({
    users: d.users,
    maxPatchOperations: d.maxPatchOperations,
    strictAttributes: d.strictAttributes,
    maxResults: d.maxResults,
    maxFilterLength: d.maxFilterLength,
    baseUrl,
  });
  r.use("/Users", users);
  r.use(
    "/Groups",
    scimGroupsRouter({
      groups: d.groups,
      maxPatchOperations: d.maxPatchOperations,
      maxResults: d.maxResults,
      maxFilterLength: d.maxFilterLength,
      baseUrl,
    }),
  );
  r.post(
    "/.search",
    rootSearch({
      users: d.users,
      groups: d.groups,
      maxResults: d.maxResults,
      maxFilterLength: d.maxFilterLength,
      baseUrl,
    }),
  );
  r.use(scimDiscoveryRouter());
  r.all(["/Me"], () => {
    throw new ScimError(501, null, "This resource type is not supported yet");
  });
  r.use((req) => {
    throw new ScimError(404, null, `No SCIM endpoint at ${req.originalUrl.split("?")[0]}`);
  });
  r.use(scimErrorHandler);
  return r;
}
