import { type Request, type Response, Router } from "express";
import { type DomainError, PreconditionFailedError } from "../../../domain/errors";
import type { ConsolePageDeps } from "../pages";
import type { Texts } from "../i18n";
import { consoleCtx, localsOf } from "../session";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { statusOf } from "../errors";
import { type EditValues, PersonEditForm, changesOf, postedValues, valuesOf, versionsOf } from "./person-edit-form";
import { entityChoices, formErrorOf } from "./person-form-input";
import { personId } from "./person.page";

const T: Texts<"title" | "none"> = {
  en: { title: "Edit {name}", none: "None" },
  fr: { title: "Modifier {name}", none: "Aucune" },
};

interface Shown {
  values?: EditValues;
  errors?: Record<string, string>;
  notice?: string;
  status?: number;
}

async function showForm(d: ConsolePageDeps, req: Request, res: Response, shown: Shown = {}) {
  const locals = localsOf(res);
  const ctx = consoleCtx(req, res);
  const t = T[locals.language];
  const id = String(req.params.id);
  const view = await d.services.people.get(ctx, id);
  const [locked, entities] = await Promise.all([
    d.services.people.lockedFields(view.user),
    entityChoices(d.services, ctx, t.none),
  ]);
  sendView(
    res,
    <Layout
      locals={locals}
      title={t.title.replace("{name}", view.user.displayName || view.user.userName)}
      section="people"
      here={req.originalUrl}
    >
      <PersonEditForm
        id={id}
        lang={locals.language}
        csrf={locals.csrfToken}
        values={shown.values ?? valuesOf(view)}
        locked={locked}
        entities={entities}
        errors={shown.errors ?? {}}
        notice={shown.notice}
      />
    </Layout>,
    shown.status ?? 200,
  );
}

/**
 * GET/POST /console/people/{id}/edit: the API's PATCH through the same use case (PeopleService.change): only what the
 * admin changed is sent, with the version the form was read at (If-Match). A field the IdP owns is shown locked, and a
 * post changing it anyway is refused by the service (409 beside the field). Errors come back beside their field with
 * what was typed (400/409); saved: 303 to the person's page.
 */
export function personEditPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/people/:id/edit", personId, (req, res) => showForm(d, req, res));

  r.post("/people/:id/edit", personId, async (req, res) => {
    const id = String(req.params.id);
    const ctx = consoleCtx(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const current = valuesOf(await d.services.people.get(ctx, id));
    const posted = postedValues(body, current);
    try {
      await d.services.people.change(ctx, id, changesOf(posted, current, body), versionsOf(posted));
    } catch (e) {
      if (e instanceof PreconditionFailedError)
        return showForm(d, req, res, { values: { ...posted, version: current.version }, notice: "stale", status: 409 });
      const error = formErrorOf(e);
      if (!error) throw e;
      const status = statusOf(e as DomainError);
      if (!error.control) return showForm(d, req, res, { values: posted, notice: error.message, status });
      return showForm(d, req, res, { values: posted, errors: { [error.control]: error.message }, status });
    }
    res.redirect(303, `/console/people/${id}?done=saved`);
  });
  return r;
}
