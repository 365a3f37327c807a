import { type Request, type Response, Router } from "express";
import type { InvitationView, InvitationsService } from "../../domain/invitations/invitations.service";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { Problem } from "../shared/problem";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What an admin sees of an invitation: never the link (only the person gets it). */
export function presentInvitation(i: InvitationView) {
  return {
    id: i.id,
    status: i.status,
    invitedAt: iso(i.requestedAt),
    invitedBy: i.requestedBy,
    door: i.door,
    sentAt: iso(i.sentAt),
    expiresAt: iso(i.expiresAt),
    channels: i.channels,
    space: i.space?.name ?? null,
    acceptedAt: iso(i.consumedAt),
    revokedAt: iso(i.revokedAt),
    failedAt: iso(i.failedAt),
    failure: i.failure,
  };
}

const userId = (req: Request) => {
  const id = String(req.params.id);
  if (!isUuid(id)) throw new Problem(404, "not_found", `User ${id} not found`);
  return id;
};

/** /admin/v1/users/{id}/invitation: the person's latest invitation, and sending or resending one. */
export function invitationsRouter(invitations: InvitationsService): Router {
  const r = Router();

  r.get("/:id/invitation", async (req: Request, res: Response) => {
    const inv = await invitations.latest(adminCtx(req, res), userId(req));
    if (!inv) throw new Problem(404, "no_invitation", "This person has never been sent an invitation");
    res.json(presentInvitation(inv));
  });

  r.post("/:id/invitation", async (req: Request, res: Response) => {
    const inv = await invitations.request(adminCtx(req, res), userId(req));
    res.status(202).json(presentInvitation(inv));
  });

  return r;
}
