import express, { type Request, type Response, Router } from "express";
import { z } from "zod";
import type { EnrolmentService } from "../../domain/auth/enrolment.service";
import { ctxOf } from "../middleware/request-context";
import { toAuthProblem } from "./auth-problem";
import { refuseUnstorableBody } from "../middleware/well-formed-input";
import { differPage, formPage, joinedPage, problemPage, wantsHtml } from "./invitation-page";

const AcceptBody = z.object({
  password: z.string(),
  givenName: z.string().max(1000).optional(),
  familyName: z.string().max(1000).optional(),
});
const FormBody = z.object({
  password: z.string().default(""),
  confirmation: z.string().default(""),
  givenName: z.string().max(1000).optional(),
  familyName: z.string().max(1000).optional(),
});

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
    if (wantsHtml(req)) return page(res, async () => formPage(res, await enrolment.check(token(req))));
    const info = await enrolment.check(token(req));
    res.json({
      valid: true,
      expiresAt: info.expiresAt.toISOString(),
      givenName: info.givenName,
      userName: info.userName,
      platform: info.platform,
      space: info.space,
      language: info.language,
      namesNeeded: info.namesNeeded,
      purpose: info.purpose,
    });
  });

  // The page's form posts here as application/x-www-form-urlencoded and gets a page back.
  r.post(
    "/:token",
    express.urlencoded({ extended: false, limit: "16kb" }),
    refuseUnstorableBody,
    async (req, res, next) => {
      if (!req.is("application/x-www-form-urlencoded")) return next();
      await page(res, async () => {
        const form = FormBody.parse(req.body ?? {});
        const info = await enrolment.check(token(req));
        const typed = { givenName: form.givenName, familyName: form.familyName };
        if (form.password !== form.confirmation) return differPage(res, info, typed);
        try {
          const done = await enrolment.accept(ctxOf(req, res, "auth"), token(req), form.password, typed);
          joinedPage(res, info, done.userName);
        } catch (err) {
          const p = toAuthProblem(err);
          if (p.code !== "weak_password" && p.code !== "invalid_value") throw err;
          formPage(res, info, p.errors?.map((x) => x.detail) ?? [p.detail], 400, typed);
        }
      });
    },
  );

  r.post("/:token", async (req, res) => {
    const { password, givenName, familyName } = AcceptBody.parse(req.body ?? {});
    const done = await enrolment.accept(ctxOf(req, res, "auth"), token(req), password, { givenName, familyName });
    res.json({ id: done.id, userName: done.userName, enrolledAt: done.enrolledAt.toISOString() });
  });
  return r;
}

/** Runs a page handler; a refusal or failure becomes a page with the status the JSON answer would have. */
async function page(res: Response, render: () => Promise<void>): Promise<void> {
  try {
    await render();
  } catch (err) {
    const p = toAuthProblem(err);
    if (p.status >= 500 && p.status !== 503) res.req.log?.error({ err }, "invitation page failed");
    problemPage(res, p);
  }
}
