import { randomUUID } from "node:crypto";
import express, { type Request, type Response, Router } from "express";
import type { DataSource } from "typeorm";
import { AccessRefusedError } from "../../domain/auth/access-errors";
import { InvalidError, RefusedError } from "../../domain/errors";
import type { Entity } from "../../domain/entities/entity";
import type { SignUpService } from "../../domain/sso/signup.service";
import type { SignInRecorder } from "../../domain/users/sign-ins";
import { ctxOf } from "../middleware/request-context";
import { sendAccessError } from "./access-error-page";
import { pageLanguage, sendPage } from "./html-page";
import { authRateLimit } from "./rate-limit";
import { sentPage, signUpFormHtml } from "./sign-up.page";

export interface SignUpRoutesDeps {
  signUp: SignUpService;
  signIns: SignInRecorder;
  ds: DataSource;
  /** Sign-up forms posted per client address per minute (SIGNUP_RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
}

const FIELDS = ["givenName", "familyName", "email", "userName", "phone", "language", "entityId"] as const;
const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 500) : "");

/**
 * /auth/sign-up: the self sign-up form (server-rendered, EN/FR, no script), opened from the sign-in page's "Create an
 * account" or a department link (`?link=<signed token>`). Refusals (sso_only, signup_disabled, an expired or revoked
 * link as login_expired) are recorded and shown on the access-error page; a bad field re-shows the form naming it.
 */
export function signUpRouter(d: SignUpRoutesDeps): Router {
  const r = Router();

  const refused = async (req: Request, res: Response, e: AccessRefusedError, email: string | null) => {
    const reference = randomUUID();
    await d.signIns.record(ctxOf(req, res, "auth"), {
      userId: null,
      login: null,
      email,
      method: "signup",
      connectionId: null,
      code: e.code,
      reference,
      outcome: "refused",
    });
    sendAccessError(req, res, e, reference);
  };

  const form = async (req: Request, res: Response, values: Record<string, string>, error: InvalidError | null) => {
    const link = str(req.query.link) || null;
    const carried: Entity | null = link ? await d.signUp.linkDepartment(link) : null;
    const language = pageLanguage(req, "en");
    const action = `/auth/sign-up${link ? `?link=${encodeURIComponent(link)}` : ""}`;
    const page = signUpFormHtml({
      language,
      action,
      values,
      carried,
      departments: carried ? [] : await d.signUp.departments(ctxOf(req, res, "auth")),
      error: error ? { field: error.field, message: error.reason } : null,
    });
    sendPage(res, { language, ...page, status: error ? 400 : 200, selfUrl: req.originalUrl });
  };

  r.get("/sign-up", async (req, res) => {
    try {
      await d.signUp.assertOpen();
      await form(req, res, {}, null);
    } catch (e) {
      if (e instanceof AccessRefusedError) return refused(req, res, e, null);
      throw e;
    }
  });

  r.post(
    "/sign-up",
    authRateLimit(d.ds, "auth-signup", d.perMinute),
    express.urlencoded({ extended: false, limit: "16kb" }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(FIELDS.map((f) => [f, str(body[f])]));
      try {
        await d.signUp.signUp(
          ctxOf(req, res, "auth"),
          {
            givenName: values.givenName,
            familyName: values.familyName,
            email: values.email || undefined,
            userName: values.userName || undefined,
            phone: values.phone || undefined,
            language: values.language || undefined,
            entityId: values.entityId || undefined,
          },
          str(req.query.link) || null,
        );
        const language = pageLanguage(req, "en");
        sendPage(res, { language, ...sentPage(language) });
      } catch (e) {
        if (e instanceof AccessRefusedError) return refused(req, res, e, values.email || null);
        if (e instanceof InvalidError) return form(req, res, values, e);
        // the invitation could not go out (no channel for this contact): say which field to change
        if (e instanceof RefusedError) return form(req, res, values, new InvalidError(e.field ?? "email", e.message));
        throw e;
      }
    },
  );
  return r;
}
