import { type Request, Router } from "express";
import { z } from "zod";
import type { CredentialsService } from "../../domain/auth/credentials.service";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { Problem } from "../shared/problem";

const Body = z.object({ password: z.string().optional() }).strict();

const userId = (req: Request) => {
  const id = String(req.params.id);
  if (!isUuid(id)) throw new Problem(404, "not_found", `User ${id} not found`);
  return id;
};

/**
 * POST /admin/v1/users/{id}/one-time-password: a password the person must change at first sign-in. Given in the body
 * (held to the password policy) or generated, and then shown in this response only.
 */
export function oneTimePasswordRouter(credentials: CredentialsService): Router {
  const r = Router();
  r.post("/:id/one-time-password", async (req, res) => {
    const { password } = Body.parse(req.body ?? {});
    const set = await credentials.setOneTimePassword(adminCtx(req, res), userId(req), password);
    res.set("Cache-Control", "no-store").json({
      id: set.id,
      userName: set.userName,
      passwordMustChange: true,
      generated: set.password !== undefined,
      ...(set.password ? { password: set.password } : {}),
    });
  });
  return r;
}
