import { type Request, type Response, Router } from "express";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Field, Notice, Select } from "../view/components";
import { type FormFailure, errorFor, formFailureOf, generalError } from "../view/form-failure";
import { optionalIdOf, textOf } from "../view/form-values";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { T, doneOf } from "./entities.texts";
import { EntityTree, nestEntities, parentOptions } from "./entity-tree";
import { entityPage } from "./entity.page";

interface Typed {
  name: string;
  parentId: string;
  externalKey: string;
}

/**
 * /console/entities: the organisation's tree (a limited admin sees their part of it) and the form creating an entity;
 * each entity's own page (rename, move, delete) is entity.page.tsx. EntitiesService holds every rule, scope included.
 */
export function entitiesPage(d: ConsolePageDeps): Router {
  const r = Router();
  const entities = d.services.entities;

  const show = async (req: Request, res: Response, typed: Typed | null, failure: FormFailure | null) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const list = await entities.list(consoleCtx(req, res));
    const tree = nestEntities(list);
    const whole = locals.principal.entityScope === null;
    const done = doneOf(req.query.done);
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="entities" here={req.originalUrl}>
        {done ? <Notice>{t[done]}</Notice> : null}
        <h2 id="tree">{t.tree}</h2>
        {whole ? null : <p class="hint">{t.scoped}</p>}
        {tree.length > 0 ? <EntityTree nodes={tree} label={t.tree} /> : <p>{t.none}</p>}
        {locals.principal.role === "admin" ? (
          <section aria-labelledby="create">
            <h2 id="create">{t.create}</h2>
            {generalError(failure, "name", "parentId", "externalKey") ? (
              <Notice kind="error">{generalError(failure, "name", "parentId", "externalKey")}</Notice>
            ) : null}
            <form method="post" action="/console/entities">
              <CsrfField token={locals.csrfToken} />
              <Field name="name" label={t.name} required value={typed?.name} error={errorFor(failure, "name")} />
              <Select
                name="parentId"
                label={t.parent}
                options={parentOptions(list, whole, t.top)}
                value={typed?.parentId ?? String(req.query.parent ?? "")}
                error={errorFor(failure, "parentId")}
              />
              <Field
                name="externalKey"
                label={t.externalKey}
                hint={t.externalKeyHint}
                value={typed?.externalKey}
                error={errorFor(failure, "externalKey")}
              />
              <button type="submit">{t.createButton}</button>
            </form>
          </section>
        ) : null}
      </Layout>,
      failure?.status ?? 200,
    );
  };

  r.get("/entities", (req, res) => show(req, res, null, null));

  r.post("/entities", async (req, res) => {
    const typed = {
      name: textOf(req.body, "name"),
      parentId: textOf(req.body, "parentId"),
      externalKey: textOf(req.body, "externalKey"),
    };
    try {
      const created = await entities.create(consoleCtx(req, res), {
        name: typed.name,
        parentId: optionalIdOf(req.body, "parentId"),
        externalKey: typed.externalKey,
      });
      res.redirect(303, `/console/entities/${created.id}?done=created`);
    } catch (e) {
      const failure = formFailureOf(e);
      if (!failure) throw e;
      await show(req, res, typed, failure);
    }
  });

  r.use(entityPage(d));
  return r;
}
