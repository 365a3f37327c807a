import { type RequestHandler, Router } from "express";
import { z } from "zod";
import type { ClientInfo, OidcClientsService } from "../../domain/oidc/oidc-clients.service";
import { Problem, sendProblem } from "../shared/problem";
import { adminCtx, principal } from "./admin-auth";

const Uri = z.string().min(1).max(2000);
const CreateBody = z.strictObject({
  name: z.string().min(1).max(100),
  redirectUris: z.array(Uri).min(1).max(20),
  postLogoutRedirectUris: z.array(Uri).max(20).optional(),
  backchannelLogoutUri: Uri.nullable().optional(),
});

const present = (c: ClientInfo) => ({
  clientId: c.clientId,
  name: c.name,
  redirectUris: c.redirectUris,
  postLogoutRedirectUris: c.postLogoutRedirectUris,
  backchannelLogoutUri: c.backchannelLogoutUri,
  createdAt: c.createdAt.toISOString(),
});

/** Platform clients are an admin's business, reading included (auditors read people, groups and the log). */
const adminsOnly: RequestHandler = (_req, res, next) =>
  principal(res).role === "admin"
    ? next()
    : sendProblem(res, new Problem(403, "forbidden", "Only admins manage clients"));

/**
 * /admin/v1/clients: the platform's clients of Roster's OpenID Provider, as `npx roster client` does. The secret is
 * answered once, by POST (201, `clientId` and `clientSecret`, also as `client_id` and `client_secret`).
 */
export function oidcClientsRouter(clients: OidcClientsService): Router {
  const r = Router();
  r.use(adminsOnly);
  r.get("/", async (_req, res) => {
    res.json({ items: (await clients.list()).map(present) });
  });
  r.post("/", async (req, res) => {
    const b = CreateBody.parse(req.body ?? {});
    const c = await clients.create(adminCtx(req, res), b);
    res
      .status(201)
      .location(`/admin/v1/clients/${c.clientId}`)
      .json({ ...present(c), clientSecret: c.clientSecret, client_id: c.clientId, client_secret: c.clientSecret });
  });
  r.delete("/:clientId", async (req, res) => {
    await clients.delete(adminCtx(req, res), String(req.params.clientId));
    res.status(204).end();
  });
  return r;
}
