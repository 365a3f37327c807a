import { Request, Router } from "express";
import { z } from "zod";
import { EnrolmentService } from "../../domain/auth/enrolment.service";
import { ctxOf } from "../middleware/request-context";

const AcceptBody = z.object({ password: z.string() });

const token = (req: Request) => String(req.params.token);

/**
 * /auth/invitations/{token}: whether an invitation link can be used, and joining with it (setting one's password).
 * The token is a secret: answers are never cached, and the page behind it sends no Referer onwards.
 */
export function invitationLinkRouter(enrolment: EnrolmentService): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.set("Referrer-Policy", "no-referrer");
    next();
  });

  r.get("/:token", async (req, res) => {
    const info = await enrolment.check(token(req));
    res.json({ valid: true, expiresAt: info.expiresAt.toISOString(), givenName: info.givenName, userName: info.userName, platform: info.platform, space: info.space });
  });

  r.post("/:token", async (req, res) => {
    const { password } = AcceptBody.parse(req.body ?? {});
    const done = await enrolment.accept(ctxOf(req, res, "auth"), token(req), password);
    res.json({ id: done.id, userName: done.userName, enrolledAt: done.enrolledAt.toISOString() });
  });
  return r;
}
