import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { isUuid } from "../../domain/ids";
import type { ConnectionView, SsoConnectionsService } from "../../domain/sso/sso-connections.service";
import { adminCtx } from "./admin-auth";
import { etagOf, ifMatchVersions } from "./if-match";

const claim = z.string().max(100);

/** POST and PUT /admin/v1/sso-connections (the contract's names; claimMapping, requiredGroups, enabled are Roster's). */
const ConnectionBody = z.strictObject({
  name: z.string().max(200),
  issuer: z.string().max(2000),
  clientId: z.string().max(500),
  clientSecret: z.string().min(1).max(2000).optional(),
  scopes: z.array(z.string().max(100)).max(50).optional(),
  linkClaim: claim.nullable().optional(),
  trustEmail: z.boolean().optional(),
  jit: z.strictObject({
    enabled: z.boolean(),
    allowedDomains: z.array(z.string().max(253)).max(1000).optional(),
    requiredClaims: z.record(claim, z.string().max(500)).optional(),
    defaultRole: z.enum(["member", "admin", "auditor"]).optional(),
    defaultEntityId: z.guid().nullable().optional(),
    defaultLanguage: z.string().max(35).nullable().optional(),
  }),
  claimMapping: z
    .strictObject({
      givenName: claim.optional(),
      familyName: claim.optional(),
      language: claim.nullable().optional(),
      entity: claim.nullable().optional(),
      groups: claim.optional(),
    })
    .optional(),
  requiredGroups: z.array(z.string().max(500)).max(200).optional(),
  enabled: z.boolean().optional(),
});

/** A connection as the admin API shows it: never the secret (not even sealed), nor the discovered metadata. */
const present = (c: ConnectionView) => ({
  id: c.id,
  name: c.name,
  issuer: c.issuer,
  clientId: c.clientId,
  scopes: c.scopes,
  linkClaim: c.linkClaim,
  trustEmail: c.trustEmail,
  jit: c.jit,
  claimMapping: c.claimMapping,
  requiredGroups: c.requiredGroups,
  enabled: c.enabled,
  redirectUri: c.redirectUri,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

const uuidParam = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

/** /admin/v1/sso-connections: company IdPs people sign in with. Admins write; auditors read. */
export function ssoConnectionsRouter(connections: SsoConnectionsService): Router {
  const r = Router();

  r.get("/", async (_req, res) => {
    res.json({ items: (await connections.list()).map(present) });
  });

  r.post("/", async (req, res) => {
    const body = ConnectionBody.parse(req.body);
    const created = await connections.create(adminCtx(req, res), body);
    res
      .status(201)
      .location(`${req.baseUrl}/${created.id}`)
      .set("ETag", etagOf(created.version))
      .json(present(created));
  });

  r.get("/:id", uuidParam, async (req, res) => {
    const c = await connections.get(String(req.params.id));
    res.set("ETag", etagOf(c.version)).json(present(c));
  });

  r.put("/:id", uuidParam, async (req, res) => {
    const body = ConnectionBody.parse(req.body);
    const c = await connections.update(adminCtx(req, res), String(req.params.id), body, ifMatchVersions(req));
    res.set("ETag", etagOf(c.version)).json(present(c));
  });

  r.delete("/:id", uuidParam, async (req, res) => {
    await connections.remove(adminCtx(req, res), String(req.params.id));
    res.status(204).end();
  });
  return r;
}
