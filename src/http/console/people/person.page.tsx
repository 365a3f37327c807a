import { type NextFunction, type Request, type Response, Router } from "express";
import { WeakPasswordError } from "../../../domain/auth/auth.errors";
import { InvalidError, RefusedError } from "../../../domain/errors";
import { isUuid } from "../../../domain/ids";
import type { ConsolePageDeps } from "../pages";
import type { Texts } from "../i18n";
import { consoleCtx, localsOf } from "../session";
import { Notice } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { statusOf } from "../errors";
import { type ActionErrors, PersonActions } from "./person-actions";
import { PersonAudit, auditAfterOf, personAudit } from "./person-audit";
import { PersonFacts } from "./person-facts";

const DONE = ["saved", "created", "deactivated", "activated", "invited", "password_set"] as const;
type Done = (typeof DONE)[number];

const T: Texts<Done | "otpShown" | "otpOnce"> = {
  en: {
    saved: "Changes saved.",
    created: "Person added.",
    deactivated: "Account deactivated: their sessions end and open invitations are withdrawn.",
    activated: "Account activated.",
    invited: "Invitation queued: it leaves in a moment.",
    password_set: "One-time password set: they must change it at their first sign-in.",
    otpShown:
      "One-time password set. Give it to them now: it is shown this once and they must change it at first sign-in:",
    otpOnce: "Leaving or reloading this page will not show it again.",
  },
  fr: {
    saved: "Modifications enregistrées.",
    created: "Personne ajoutée.",
    deactivated: "Compte désactivé : ses sessions prennent fin et ses invitations ouvertes sont retirées.",
    activated: "Compte activé.",
    invited: "Invitation en file d'attente : elle part dans un instant.",
    password_set: "Mot de passe à usage unique défini : il devra le changer à sa première connexion.",
    otpShown:
      "Mot de passe à usage unique défini. Donnez-le-lui maintenant : il n'est affiché qu'une fois et devra être changé à la première connexion :",
    otpOnce: "Quitter ou recharger cette page ne l'affichera plus.",
  },
};

/** Path ids that are not uuids fall through (`new`, `batch`, the list's own paths), as in the admin API. */
export const personId = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

interface Shown {
  errors?: ActionErrors;
  /** A generated one-time password, shown in this answer only. */
  oneTimePassword?: string;
  status?: number;
}

/** The person page: their facts, what an admin can do (not auditors), and their audit trail. */
async function showPerson(d: ConsolePageDeps, req: Request, res: Response, id: string, shown: Shown = {}) {
  const locals = localsOf(res);
  const ctx = consoleCtx(req, res);
  const lang = locals.language;
  const t = T[lang];
  const view = await d.services.people.get(ctx, id);
  const afterId = auditAfterOf(req.query as Record<string, unknown>);
  const audit = await personAudit(d.services.audit, ctx, id, afterId);
  const done = DONE.find((c) => c === req.query.done);
  const title = view.user.displayName || view.user.userName;
  sendView(
    res,
    <Layout locals={locals} title={title} section="people" here={req.originalUrl}>
      {done ? <Notice>{t[done]}</Notice> : null}
      {shown.oneTimePassword ? (
        <div class="notice" role="status">
          <p>{t.otpShown}</p>
          <p>
            <code>{shown.oneTimePassword}</code>
          </p>
          <p>{t.otpOnce}</p>
        </div>
      ) : null}
      <PersonFacts view={view} lang={lang} ssoOnly={d.cfg.SSO_ONLY} />
      {locals.principal.role === "admin" ? (
        <PersonActions
          view={view}
          lang={lang}
          csrf={locals.csrfToken}
          ssoOnly={d.cfg.SSO_ONLY}
          errors={shown.errors ?? {}}
        />
      ) : null}
      <PersonAudit
        lang={lang}
        userId={id}
        records={audit.records}
        nextAfterId={audit.nextAfterId}
        paged={afterId !== undefined}
      />
    </Layout>,
    shown.status ?? 200,
  );
}

const redirectDone = (res: Response, id: string, done: Done) =>
  res.redirect(303, `/console/people/${encodeURIComponent(id)}?done=${done}`);

/**
 * GET /console/people/{id}, and its actions (POST, admins only: the shell refuses auditors): deactivate, activate,
 * send or resend the invitation, set a one-time password. Each through the admin API's service; a refusal the admin
 * can act on (already joined, a password the policy refuses) is shown beside its control on the page, 400 or 409.
 */
export function personPage(d: ConsolePageDeps): Router {
  const r = Router();
  const { people, invitations, credentials } = d.services;

  r.get("/people/:id", personId, async (req, res) => showPerson(d, req, res, String(req.params.id)));

  r.post("/people/:id/deactivate", personId, async (req, res) => {
    await people.setActive(consoleCtx(req, res), String(req.params.id), false);
    redirectDone(res, String(req.params.id), "deactivated");
  });
  r.post("/people/:id/activate", personId, async (req, res) => {
    await people.setActive(consoleCtx(req, res), String(req.params.id), true);
    redirectDone(res, String(req.params.id), "activated");
  });

  r.post("/people/:id/invitation", personId, async (req, res) => {
    const id = String(req.params.id);
    try {
      await invitations.request(consoleCtx(req, res), id);
    } catch (e) {
      if (!(e instanceof RefusedError)) throw e;
      return showPerson(d, req, res, id, { errors: { invite: e.message }, status: statusOf(e) });
    }
    redirectDone(res, id, "invited");
  });

  r.post("/people/:id/one-time-password", personId, async (req, res) => {
    const id = String(req.params.id);
    const typed = typeof req.body?.password === "string" && req.body.password !== "" ? req.body.password : undefined;
    try {
      const set = await credentials.setOneTimePassword(consoleCtx(req, res), id, typed);
      if (set.password) return showPerson(d, req, res, id, { oneTimePassword: set.password });
    } catch (e) {
      if (!(e instanceof WeakPasswordError || e instanceof InvalidError)) throw e;
      const message = e instanceof InvalidError ? e.reason : e.violations.map((v) => v.detail).join("; ");
      return showPerson(d, req, res, id, { errors: { password: message }, status: statusOf(e) });
    }
    redirectDone(res, id, "password_set");
  });
  return r;
}
