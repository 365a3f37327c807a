import { type Request, type Response, Router } from "express";
import QRCode from "qrcode";
import type { EntityDetail } from "../../../domain/entities/entity";
import { isUuid } from "../../../domain/ids";
import type { SignupLinkView } from "../../../domain/sso/signup.service";
import { formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Field, Notice, Select } from "../view/components";
import { StateBadge } from "../view/controls";
import { textOf } from "../view/form-values";
import { type FieldError, FormFieldError, errorFor, fieldErrorOf } from "../view/field-errors";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { T } from "./signup-links.texts";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * /console/sso/signup-links?entity=<id>: an entity's department sign-up links (the same SignUpService as
 * /admin/v1/entities/{id}/signup-links): listed with their QR code (a data: URL image, allowed by the CSP), created
 * with an optional expiry (typed in UTC, as the console shows every time), revoked.
 */
export function signupLinksPage(d: ConsolePageDeps): Router {
  const { signUp, entities } = d.services;
  const r = Router();

  const show = async (req: Request, res: Response, entityId: string, err: FieldError | null = null, typed = "") => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const ctx = consoleCtx(req, res);
    const all = await entities.list(ctx);
    const entity: EntityDetail | null = isUuid(entityId) ? await entities.get(ctx, entityId) : null;
    const links = entity ? await signUp.listLinks(entity.id) : [];
    const qrs = await Promise.all(
      links.map((l) => (usable(l) ? QRCode.toDataURL(l.url, { margin: 2, width: 160 }) : null)),
    );
    const done = req.query.done === "created" ? t.done_created : req.query.done === "revoked" ? t.done_revoked : null;
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="sso" here={req.originalUrl}>
        {done ? <Notice>{done}</Notice> : null}
        <p class="hint">{t.help}</p>
        <form method="get" action="/console/sso/signup-links" class="filters">
          <Select
            name="entity"
            label={t.entity}
            value={entity?.id ?? ""}
            options={[{ value: "", label: t.choose }, ...all.map((e) => ({ value: e.id, label: e.name }))]}
          />
          <button type="submit" class="secondary">
            {t.show}
          </button>
        </form>
        {entity ? (
          <>
            <h2>{entity.name}</h2>
            {links.length === 0 ? (
              <p>{t.none}</p>
            ) : (
              <table>
                <caption>{t.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.link}</th>
                    <th scope="col">{t.state}</th>
                    <th scope="col">{t.expires}</th>
                    <th scope="col">{t.created}</th>
                    <th scope="col">{t.qr}</th>
                    <th scope="col">{t.revoke}</th>
                  </tr>
                </thead>
                <tbody>
                  {links.map((l, i) => (
                    <tr>
                      <td>
                        <code>{l.url}</code>
                      </td>
                      <td>
                        <StateBadge on={usable(l)} label={l.revokedAt ? t.revoked : usable(l) ? t.live : t.expired} />
                      </td>
                      <td>{l.expiresAt ? formatInstant(locals.language, l.expiresAt) : t.never}</td>
                      <td>{formatInstant(locals.language, l.createdAt)}</td>
                      <td>{qrs[i] ? <img src={qrs[i] as string} alt={t.qrAlt} width={160} height={160} /> : null}</td>
                      <td>
                        {l.revokedAt ? null : (
                          <form method="post" action={`/console/sso/signup-links/${l.id}/revoke`} class="inline">
                            <CsrfField token={locals.csrfToken} />
                            <input type="hidden" name="entityId" value={entity.id} />
                            <button type="submit" class="secondary">
                              {t.revoke}
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>{t.newLink}</h3>
            <form method="post" action="/console/sso/signup-links">
              <CsrfField token={locals.csrfToken} />
              <input type="hidden" name="entityId" value={entity.id} />
              <Field
                name="expiresAt"
                type="datetime-local"
                label={t.expiresAt}
                hint={t.expiresHint}
                value={typed}
                error={errorFor(err, "expiresAt")}
              />
              <button type="submit">{t.create}</button>
            </form>
          </>
        ) : null}
        <p>
          <a href="/console/sso">{t.back}</a>
        </p>
      </Layout>,
      err?.status ?? 200,
    );
  };

  r.get("/sso/signup-links", (req, res) =>
    show(req, res, typeof req.query.entity === "string" ? req.query.entity : ""),
  );

  r.post("/sso/signup-links", async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const entityId = textOf(body, "entityId");
    const typed = textOf(body, "expiresAt").trim();
    try {
      const expiresAt = typed === "" ? null : new Date(`${typed}Z`);
      if (expiresAt && (!DATE_TIME.test(typed) || Number.isNaN(expiresAt.getTime())))
        throw new FormFieldError("expiresAt", T[localsOf(res).language].notADate);
      await signUp.createLink(consoleCtx(req, res), isUuid(entityId) ? entityId : "", expiresAt);
      res.redirect(303, `/console/sso/signup-links?entity=${entityId}&done=created`);
    } catch (e) {
      const err = fieldErrorOf(e);
      if (!err) throw e;
      await show(req, res, entityId, err, typed);
    }
  });

  r.post("/sso/signup-links/:linkId/revoke", async (req, res) => {
    const entityId = textOf(req.body as Record<string, unknown>, "entityId");
    const linkId = String(req.params.linkId);
    if (!isUuid(entityId) || !isUuid(linkId)) return void res.redirect(303, "/console/sso/signup-links");
    await signUp.revokeLink(consoleCtx(req, res), entityId, linkId);
    res.redirect(303, `/console/sso/signup-links?entity=${entityId}&done=revoked`);
  });
  return r;
}

const usable = (l: SignupLinkView) => !l.revokedAt && (!l.expiresAt || l.expiresAt.getTime() > Date.now());
