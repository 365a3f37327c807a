import { type NextFunction, type Request, type Response, Router } from "express";
import type { EntityDetail } from "../../../domain/entities/entity";
import { isUuid } from "../../../domain/ids";
import { formatCount } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Field, Notice, Select } from "../view/components";
import { type FormFailure, errorFor, formFailureOf, generalError } from "../view/form-failure";
import { optionalIdOf, textOf, versionOf } from "../view/form-values";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { parentOptions } from "./entity-tree";
import { T, doneOf } from "./entities.texts";

type Form = "rename" | "move" | "remove";
interface Failed {
  form: Form;
  failure: FormFailure;
  typed: string;
}

const uuidParam = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

/** /console/entities/{id}: where an entity sits, what hangs on it, and (admins) the forms renaming, moving, deleting it. */
export function entityPage(d: ConsolePageDeps): Router {
  const r = Router();
  const entities = d.services.entities;

  const show = async (req: Request, res: Response, failed: Failed | null) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const ctx = consoleCtx(req, res);
    const entity: EntityDetail = await entities.get(ctx, String(req.params.id));
    const list = await entities.list(ctx);
    const err = (form: Form, ...fields: string[]) =>
      failed?.form === form ? errorFor(failed.failure, ...fields) : null;
    const general = (form: Form, ...fields: string[]) =>
      failed?.form === form ? generalError(failed.failure, ...fields) : null;
    const done = doneOf(req.query.done);
    const admin = locals.principal.role === "admin";
    const version = <input type="hidden" name="version" value={String(entity.version)} />;
    sendView(
      res,
      <Layout locals={locals} title={entity.name} section="entities" here={req.originalUrl}>
        {done ? <Notice>{t[done]}</Notice> : null}
        <p>
          <a href="/console/entities">{t.back}</a>
        </p>
        <dl class="facts">
          <dt>{t.where}</dt>
          <dd>
            {entity.path.length === 0
              ? t.top
              : entity.path.map((p, i) => (
                  <>
                    {i > 0 ? " / " : ""}
                    <a href={`/console/entities/${p.id}`}>{p.name}</a>
                  </>
                ))}
          </dd>
          <dt>{t.children}</dt>
          <dd>{formatCount(locals.language, entity.childCount)}</dd>
          <dt>{t.people}</dt>
          <dd>
            {formatCount(locals.language, entity.userCount)} (
            <a href={`/console/people?entity=${entity.id}`}>{t.seePeople}</a>)
          </dd>
          {entity.externalKey ? (
            <>
              <dt>{t.externalKey}</dt>
              <dd>{entity.externalKey}</dd>
            </>
          ) : null}
        </dl>
        {admin ? (
          <>
            <h2 id="rename">{t.rename}</h2>
            {general("rename", "name") ? <Notice kind="error">{general("rename", "name")}</Notice> : null}
            <form method="post" action={`/console/entities/${entity.id}/rename`}>
              <CsrfField token={locals.csrfToken} />
              {version}
              <Field
                name="name"
                label={t.name}
                required
                value={failed?.form === "rename" ? failed.typed : entity.name}
                error={err("rename", "name")}
              />
              <button type="submit">{t.renameButton}</button>
            </form>
            <h2 id="move">{t.move}</h2>
            {general("move", "parentId") ? <Notice kind="error">{general("move", "parentId")}</Notice> : null}
            <form method="post" action={`/console/entities/${entity.id}/move`}>
              <CsrfField token={locals.csrfToken} />
              {version}
              <p class="hint">{t.moveHint}</p>
              <Select
                name="parentId"
                label={t.parent}
                options={parentOptions(list, locals.principal.entityScope === null, t.top)}
                value={failed?.form === "move" ? failed.typed : (entity.parentId ?? "")}
                error={err("move", "parentId")}
              />
              <button type="submit">{t.moveButton}</button>
            </form>
            <h2 id="remove">{t.remove}</h2>
            {general("remove") ? <Notice kind="error">{general("remove")}</Notice> : null}
            <form method="post" action={`/console/entities/${entity.id}/delete`}>
              <CsrfField token={locals.csrfToken} />
              {version}
              <p class="hint">{t.removeHint}</p>
              <button type="submit" class="danger">
                {t.removeButton}
              </button>
            </form>
          </>
        ) : null}
      </Layout>,
      failed?.failure.status ?? 200,
    );
  };

  /** Runs one form's change: redirect with its notice, or the page again with the error where it belongs. */
  const act =
    (form: Form, typedField: string, change: (req: Request, res: Response) => Promise<string>) =>
    async (req: Request, res: Response) => {
      try {
        res.redirect(303, await change(req, res));
      } catch (e) {
        const failure = formFailureOf(e);
        if (!failure) throw e;
        await show(req, res, { form, failure, typed: textOf(req.body, typedField) });
      }
    };

  r.get("/entities/:id", uuidParam, (req, res) => show(req, res, null));

  r.post(
    "/entities/:id/rename",
    uuidParam,
    act("rename", "name", async (req, res) => {
      const id = String(req.params.id);
      await entities.update(consoleCtx(req, res), id, { name: textOf(req.body, "name") }, versionOf(req.body));
      return `/console/entities/${id}?done=renamed`;
    }),
  );

  r.post(
    "/entities/:id/move",
    uuidParam,
    act("move", "parentId", async (req, res) => {
      const id = String(req.params.id);
      const parentId = optionalIdOf(req.body, "parentId");
      await entities.update(consoleCtx(req, res), id, { parentId }, versionOf(req.body));
      return `/console/entities/${id}?done=moved`;
    }),
  );

  r.post(
    "/entities/:id/delete",
    uuidParam,
    act("remove", "version", async (req, res) => {
      await entities.remove(consoleCtx(req, res), String(req.params.id), versionOf(req.body));
      return "/console/entities?done=deleted";
    }),
  );
  return r;
}
