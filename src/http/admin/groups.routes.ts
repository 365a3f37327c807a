import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { GroupSummary, MemberSummary } from "../../domain/groups/group-views";
import type { ScopedGroupsService } from "../../domain/groups/scoped-groups.service";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { etagOf, ifMatchVersions } from "./if-match";

const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().min(1).max(1000).optional();
const GroupsQuery = z.strictObject({ q: z.string().max(200).optional(), limit, cursor });
const MembersQuery = z.strictObject({ limit, cursor });
const AddMembersBody = z.strictObject({ ids: z.array(z.guid()).min(1).max(1000) });

const presentGroup = (g: GroupSummary) => ({
  id: g.id,
  displayName: g.displayName,
  externalId: g.externalId,
  memberCount: g.memberCount,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
  version: g.version,
});
const presentMember = (m: MemberSummary) => ({ ...m, addedAt: m.addedAt.toISOString() });

/** Path ids that are not uuids fall through to the door's 404. */
const uuidParams = (req: Request, _res: Response, next: NextFunction) =>
  next(Object.values(req.params).every((v) => isUuid(String(v))) ? undefined : "route");

/**
 * /admin/v1/groups: groups (spaces) for admins and auditors to browse, and admins' member changes. Groups themselves are
 * created, renamed and deleted by the identity provider (SCIM /Groups). ScopedGroupsService holds every rule, the
 * caller's entity scope included.
 */
export function groupsRouter(scopedGroups: ScopedGroupsService): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const { q, limit: n, cursor: c } = GroupsQuery.parse(req.query);
    const page = await scopedGroups.list(adminCtx(req, res), q?.trim() || null, { limit: n, cursor: c });
    res.json({ items: page.items.map(presentGroup), nextCursor: page.nextCursor, limit: n });
  });

  r.get("/:id", uuidParams, async (req, res) => {
    const group = await scopedGroups.get(adminCtx(req, res), String(req.params.id));
    res.set("ETag", etagOf(group.version)).json(presentGroup(group));
  });

  r.get("/:id/members", uuidParams, async (req, res) => {
    const { limit: n, cursor: c } = MembersQuery.parse(req.query);
    const page = await scopedGroups.members(adminCtx(req, res), String(req.params.id), { limit: n, cursor: c });
    res.json({ items: page.items.map(presentMember), nextCursor: page.nextCursor, limit: n });
  });

  r.post("/:id/members", uuidParams, async (req, res) => {
    const { ids } = AddMembersBody.parse(req.body);
    const result = await scopedGroups.addMembers(adminCtx(req, res), String(req.params.id), ids, {
      ifMatch: ifMatchVersions(req),
    });
    res.set("ETag", etagOf(result.version)).json(result);
  });

  r.delete("/:id/members/:userId", uuidParams, async (req, res) => {
    await scopedGroups.removeMember(adminCtx(req, res), String(req.params.id), String(req.params.userId), {
      ifMatch: ifMatchVersions(req),
    });
    res.status(204).end();
  });
  return r;
}
