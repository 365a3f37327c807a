import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { GroupInvitationsService } from "../../domain/people/group-invitations.service";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { presentInvitation } from "./invitations.routes";
import { presentPerson } from "./person.presenter";

/** POST /admin/v1/groups/{id}/invitations. Values are checked by the domain (manual policy); here only their types. */
const SpaceInviteBody = z.strictObject({
  email: z.string(),
  givenName: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  entityId: z.guid().nullable().optional(),
});

const uuidParam = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

/** /admin/v1/groups/{id}/invitations: people invited into a space by email (external people created on the way). */
export function groupInvitationsRouter(spaces: GroupInvitationsService): Router {
  const r = Router();

  r.post("/:id/invitations", uuidParam, async (req, res) => {
    const body = SpaceInviteBody.parse(req.body);
    const result = await spaces.invite(adminCtx(req, res), String(req.params.id), body);
    if (result.outcome === "created") res.status(201).location(`/admin/v1/users/${result.person.user.id}`);
    res.json({
      outcome: result.outcome,
      membership: result.membership,
      group: result.group,
      person: presentPerson(result.person),
      invitation: result.invitation ? presentInvitation(result.invitation) : null,
    });
  });

  return r;
}
