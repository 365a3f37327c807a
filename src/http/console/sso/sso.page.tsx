import { type Request, type Response, Router } from "express";
import { isUuid } from "../../../domain/ids";
import type { ConnectionView } from "../../../domain/sso/sso-connections.service";
import { adminOnly } from "../admin-only";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Notice } from "../view/components";
import { StateBadge } from "../view/controls";
import { textOf } from "../view/form-values";
import { type FieldError, FormFieldError, fieldErrorOf } from "../view/field-errors";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { signupLinksPage } from "./signup-links.page";
import { ConnectionForm, type Typed, blankTyped, inputOf, typedFromView, typedOf } from "./sso.form";
import { T, doneText } from "./sso.texts";

/**
 * /console/sso: company SSO connections (list, create, edit, delete after a confirmation) through the same
 * SsoConnectionsService as /admin/v1/sso-connections: every write discovers the issuer first, and a discovery that
 * fails (or an issuer Roster may not call) is shown beside the issuer field. The client secret is typed, sealed and
 * never shown back: the form says "set". Department sign-up links: signup-links.page.tsx.
 */
export function ssoPage(d: ConsolePageDeps): Router {
  const { ssoConnections: connections, entities } = d.services;
  const r = Router();
  r.use("/sso", adminOnly);

  r.get("/sso", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const items = await connections.list();
    const done = doneText(locals.language, req.query.done);
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="sso" here={req.originalUrl}>
        {done ? <Notice>{done}</Notice> : null}
        {items.length === 0 ? <p>{t.none}</p> : <ConnectionTable lang={locals.language} items={items} />}
        <p>
          <a class="button" href="/console/sso/new">
            {t.add}
          </a>{" "}
          <a href="/console/sso/signup-links">{t.signupLinks}</a>
        </p>
      </Layout>,
    );
  });

  const form = async (req: Request, res: Response, o: { id?: string; typed: Typed; err: FieldError | null }) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    sendView(
      res,
      <Layout
        locals={locals}
        title={o.id ? `${t.edit}: ${o.typed.name}` : t.newTitle}
        section="sso"
        here={req.originalUrl}
      >
        <ConnectionForm
          lang={locals.language}
          csrf={locals.csrfToken}
          action={o.id ? `/console/sso/${o.id}` : "/console/sso"}
          typed={o.typed}
          err={o.err}
          entities={await entities.list(consoleCtx(req, res))}
          editing={Boolean(o.id)}
        />
        {o.id ? (
          <p>
            <a href={`/console/sso/${o.id}/delete`}>{t.delete}</a>
          </p>
        ) : null}
      </Layout>,
      o.err?.status ?? 200,
    );
  };

  /** The form's input; an entity that is not an id is refused here (the admin API's zod check), else by the service. */
  const save = async (req: Request, res: Response, id: string | null) => {
    const body = req.body as Record<string, unknown>;
    const typed = typedOf(body);
    try {
      const entity = typed["jit.defaultEntityId"];
      if (entity !== "" && !isUuid(entity))
        throw new FormFieldError("jit.defaultEntityId", T[localsOf(res).language].notAnEntity);
      const input = inputOf(typed, textOf(body, "clientSecret"));
      const saved = id
        ? await connections.update(consoleCtx(req, res), id, input)
        : await connections.create(consoleCtx(req, res), input);
      res.redirect(303, `/console/sso?done=${id ? "updated" : "created"}&id=${saved.id}`);
    } catch (e) {
      const err = fieldErrorOf(e);
      if (!err) throw e;
      await form(req, res, { id: id ?? undefined, typed, err });
    }
  };

  r.get("/sso/new", (req, res) => form(req, res, { typed: blankTyped(), err: null }));
  r.post("/sso", (req, res) => save(req, res, null));
  r.use(signupLinksPage(d));

  r.get("/sso/:id", async (req, res) => {
    const c = await connections.get(uuidOr404(req.params.id));
    await form(req, res, { id: c.id, typed: typedFromView(c), err: null });
  });
  r.post("/sso/:id", (req, res) => save(req, res, uuidOr404(req.params.id)));

  r.get("/sso/:id/delete", async (req, res) => {
    const c = await connections.get(uuidOr404(req.params.id));
    const locals = localsOf(res);
    const t = T[locals.language];
    sendView(
      res,
      <Layout locals={locals} title={`${t.delete}: ${c.name}`} section="sso" here={req.originalUrl}>
        <p>{t.confirmDelete}</p>
        <p>
          <code>{c.issuer}</code>
        </p>
        <form method="post" action={`/console/sso/${c.id}/delete`}>
          <CsrfField token={locals.csrfToken} />
          <button type="submit" class="danger">
            {t.confirm}
          </button>{" "}
          <a href={`/console/sso/${c.id}`}>{t.cancel}</a>
        </form>
      </Layout>,
    );
  });
  r.post("/sso/:id/delete", async (req, res) => {
    await connections.remove(consoleCtx(req, res), uuidOr404(req.params.id));
    res.redirect(303, "/console/sso?done=deleted");
  });
  return r;
}

/** A path id that is not a uuid names no connection (a 404 from the service, never a database error). */
const uuidOr404 = (id: unknown): string => (isUuid(String(id)) ? String(id) : "00000000-0000-0000-0000-000000000000");

function ConnectionTable({ lang, items }: { lang: "en" | "fr"; items: ConnectionView[] }) {
  const t = T[lang];
  return (
    <table>
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.name}</th>
          <th scope="col">{t.issuer}</th>
          <th scope="col">{t.enabled}</th>
          <th scope="col">{t.secretState}</th>
          <th scope="col">{t.redirectUri}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr>
            <td>
              <a href={`/console/sso/${c.id}`}>{c.name}</a>
            </td>
            <td>{c.issuer}</td>
            <td>
              <StateBadge on={c.enabled} label={c.enabled ? t.on : t.off} />
            </td>
            <td>
              <StateBadge on label={t.set} />
            </td>
            <td>
              <code>{c.redirectUri}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
