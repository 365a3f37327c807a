import { type Request, type Response, Router } from "express";
import type { DomainError } from "../../../domain/errors";
import { type BatchResult, createBatch } from "../../../domain/people/people-batch";
import { textLines } from "../../admin/batch-input";
import type { ConsolePageDeps } from "../pages";
import type { Texts } from "../i18n";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Notice } from "../view/components";
import { TextArea } from "../view/form-controls";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { statusOf } from "../errors";
import { AddSeveralResults } from "./add-several-results";
import { entityChoices, formErrorOf, groupChoices, textOf } from "./person-form-input";
import {
  DEFAULT_SETTINGS,
  SettingsFields,
  type SettingsValues,
  settingsOf,
  settingsValuesOf,
} from "./person-settings-fields";

const T: Texts<"title" | "emails" | "hint" | "add" | "ssoOnly" | "empty" | "tooMany" | "none" | "one"> = {
  en: {
    title: "Add several people",
    emails: "Emails, one per line",
    hint: "Optionally followed by a comma, the given name, a comma and the family name. Names left out are read from first.last addresses, else asked for when the person joins.",
    add: "Add these people",
    ssoOnly:
      "People come from single sign-on and SCIM provisioning here: adding them by hand is turned off (SSO_ONLY).",
    empty: "Paste at least one email address.",
    tooMany: "{n} lines: at most {max} at once (ADMIN_BATCH_MAX_LINES). Split the list, or import a file.",
    none: "None",
    one: "Add one person",
  },
  fr: {
    title: "Ajouter plusieurs personnes",
    emails: "E-mails, un par ligne",
    hint: "Suivis si besoin d'une virgule, du prénom, d'une virgule et du nom. Les noms absents sont lus dans les adresses prenom.nom, sinon demandés à l'inscription.",
    add: "Ajouter ces personnes",
    ssoOnly:
      "Les personnes viennent ici du SSO et du provisionnement SCIM : l'ajout à la main est désactivé (SSO_ONLY).",
    empty: "Collez au moins une adresse e-mail.",
    tooMany: "{n} lignes : au plus {max} à la fois (ADMIN_BATCH_MAX_LINES). Découpez la liste, ou importez un fichier.",
    none: "Aucune",
    one: "Ajouter une personne",
  },
};

interface Shown {
  emails?: string;
  settings?: SettingsValues;
  errors?: Record<string, string>;
  notice?: string;
  results?: BatchResult[];
  status?: number;
}

async function showPage(d: ConsolePageDeps, req: Request, res: Response, shown: Shown = {}) {
  const locals = localsOf(res);
  const ctx = consoleCtx(req, res);
  const lang = locals.language;
  const t = T[lang];
  const errors = shown.errors ?? {};
  const [entities, groups] = await Promise.all([entityChoices(d.services, ctx, t.none), groupChoices(d.services, ctx)]);
  sendView(
    res,
    <Layout locals={locals} title={t.title} section="add" here={req.originalUrl}>
      {d.cfg.SSO_ONLY ? <Notice kind="error">{t.ssoOnly}</Notice> : null}
      {shown.results ? <AddSeveralResults lang={lang} results={shown.results} /> : null}
      {d.cfg.SSO_ONLY || shown.results ? null : (
        <form method="post" action="/console/people/batch">
          {shown.notice ? <Notice kind="error">{shown.notice}</Notice> : null}
          <CsrfField token={locals.csrfToken} />
          <TextArea name="emails" label={t.emails} hint={t.hint} value={shown.emails} error={errors.emails} required />
          <SettingsFields
            lang={lang}
            values={shown.settings ?? DEFAULT_SETTINGS}
            errors={errors}
            entities={entities}
            groups={groups}
            ssoOnly={d.cfg.SSO_ONLY}
          />
          <p>
            <button type="submit">{t.add}</button> <a href="/console/people/new">{t.one}</a>
          </p>
        </form>
      )}
    </Layout>,
    shown.status ?? 200,
  );
}

/**
 * GET/POST /console/people/batch: the API's POST /users/batch (text form) through the same use case (createBatch:
 * each line its own create, so good lines are added whatever happens to the others; settings wrong for every line
 * refuse the whole batch first). The outcome of each line is shown in the POST's own answer: it exists nowhere else
 * to redirect to, and posting the same list again only reports its people as already there.
 */
export function addSeveralPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/people/batch", (req, res) => showPage(d, req, res));

  r.post("/people/batch", async (req, res) => {
    const t = T[localsOf(res).language];
    const body = (req.body ?? {}) as Record<string, unknown>;
    const emails = textOf(body, "emails") ?? "";
    const settings = settingsValuesOf(body);
    const lines = textLines(emails);
    const max = d.cfg.ADMIN_BATCH_MAX_LINES;
    if (lines.length === 0 || lines.length > max) {
      const message =
        lines.length === 0 ? t.empty : t.tooMany.replace("{n}", String(lines.length)).replace("{max}", String(max));
      return showPage(d, req, res, { emails, settings, errors: { emails: message }, status: 400 });
    }
    try {
      const results = await createBatch(d.services.people, consoleCtx(req, res), lines, settingsOf(body, settings));
      return showPage(d, req, res, { results });
    } catch (e) {
      const error = formErrorOf(e);
      if (!error) throw e;
      const status = statusOf(e as DomainError);
      const errors = error.control ? { [error.control]: error.message } : {};
      return showPage(d, req, res, {
        emails,
        settings,
        errors,
        notice: error.control ? undefined : error.message,
        status,
      });
    }
  });
  return r;
}
