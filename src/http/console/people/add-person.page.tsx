import { type Request, type Response, Router } from "express";
import type { DomainError } from "../../../domain/errors";
import type { ConsolePageDeps } from "../pages";
import type { Texts } from "../i18n";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Field, Notice } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { statusOf } from "../errors";
import { entityChoices, formErrorOf, groupChoices, textOf } from "./person-form-input";
import {
  DEFAULT_SETTINGS,
  SettingsFields,
  type SettingsValues,
  settingsOf,
  settingsValuesOf,
} from "./person-settings-fields";
import { LABELS } from "./person-texts";

const IDENTITY = ["email", "givenName", "familyName", "userName"] as const;
type Identity = Record<(typeof IDENTITY)[number], string>;

const T: Texts<"title" | "add" | "several" | "ssoOnly" | "firstLast" | "email" | "free" | "none"> = {
  en: {
    title: "Add a person",
    add: "Add the person",
    several: "Add several people at once",
    ssoOnly:
      "People come from single sign-on and SCIM provisioning here: adding them by hand is turned off (SSO_ONLY).",
    firstLast: "Letters a-z, one dot, an optional number (first.last). Empty: made from the names.",
    email: "An email address. Empty: the person's email.",
    free: "Empty: the person's email.",
    none: "None",
  },
  fr: {
    title: "Ajouter une personne",
    add: "Ajouter la personne",
    several: "Ajouter plusieurs personnes à la fois",
    ssoOnly:
      "Les personnes viennent ici du SSO et du provisionnement SCIM : l'ajout à la main est désactivé (SSO_ONLY).",
    firstLast: "Lettres a-z, un point, un nombre facultatif (prenom.nom). Vide : formé à partir des noms.",
    email: "Une adresse e-mail. Vide : l'e-mail de la personne.",
    free: "Vide : l'e-mail de la personne.",
    none: "Aucune",
  },
};

interface Shown {
  identity?: Identity;
  settings?: SettingsValues;
  errors?: Record<string, string>;
  notice?: string;
  status?: number;
}

async function showForm(d: ConsolePageDeps, req: Request, res: Response, shown: Shown = {}) {
  const locals = localsOf(res);
  const ctx = consoleCtx(req, res);
  const lang = locals.language;
  const t = T[lang];
  const l = LABELS[lang];
  const errors = shown.errors ?? {};
  const identity = shown.identity ?? { email: "", givenName: "", familyName: "", userName: "" };
  const [entities, groups] = await Promise.all([entityChoices(d.services, ctx, t.none), groupChoices(d.services, ctx)]);
  const hint = { "first.last": t.firstLast, email: t.email, free: t.free }[d.cfg.ADMIN_USERNAME_POLICY];
  sendView(
    res,
    <Layout locals={locals} title={t.title} section="add" here={req.originalUrl}>
      {d.cfg.SSO_ONLY ? (
        <Notice kind="error">{t.ssoOnly}</Notice>
      ) : (
        <form method="post" action="/console/people/new">
          {shown.notice ? <Notice kind="error">{shown.notice}</Notice> : null}
          <CsrfField token={locals.csrfToken} />
          <Field name="email" type="email" label={l.email} value={identity.email} error={errors.email} required />
          <Field name="givenName" label={l.givenName} value={identity.givenName} error={errors.givenName} />
          <Field name="familyName" label={l.familyName} value={identity.familyName} error={errors.familyName} />
          <Field name="userName" label={l.userName} value={identity.userName} error={errors.userName} hint={hint} />
          <SettingsFields
            lang={lang}
            values={shown.settings ?? DEFAULT_SETTINGS}
            errors={errors}
            entities={entities}
            groups={groups}
            ssoOnly={d.cfg.SSO_ONLY}
          />
          <p>
            <button type="submit">{t.add}</button> <a href="/console/people/batch">{t.several}</a>
          </p>
        </form>
      )}
    </Layout>,
    shown.status ?? 200,
  );
}

/**
 * GET/POST /console/people/new: the API's POST /users through the same use case (PeopleService.create: the manual
 * policy for names and userName, SSO-only, the admin's scope, groups). Errors come back beside their field with what
 * was typed; added: 303 to the person's page.
 */
export function addPersonPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/people/new", (req, res) => showForm(d, req, res));

  r.post("/people/new", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const identity = Object.fromEntries(IDENTITY.map((f) => [f, textOf(body, f) ?? ""])) as Identity;
    const settings = settingsValuesOf(body);
    let id: string;
    try {
      const view = await d.services.people.create(consoleCtx(req, res), {
        ...settingsOf(body, settings),
        email: identity.email,
        givenName: identity.givenName,
        familyName: identity.familyName,
        // An empty userName is the policy's to make (as when the API's body leaves it out).
        userName: identity.userName.trim() === "" ? undefined : identity.userName,
      });
      id = view.user.id;
    } catch (e) {
      const error = formErrorOf(e);
      if (!error) throw e;
      const status = statusOf(e as DomainError);
      const errors = error.control ? { [error.control]: error.message } : {};
      const notice = error.control ? undefined : error.message;
      return showForm(d, req, res, { identity, settings, errors, notice, status });
    }
    res.redirect(303, `/console/people/${id}?done=created`);
  });
  return r;
}
