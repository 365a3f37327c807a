import { type Request, type Response, Router } from "express";
import { SCOPES, type TokenInfo } from "../../../domain/tokens/tokens.service";
import { adminOnly } from "../admin-only";
import { formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { CsrfField, Field, Notice, Select } from "../view/components";
import { SecretOnce } from "../view/controls";
import { textOf } from "../view/form-values";
import { type FieldError, errorFor, fieldErrorOf } from "../view/field-errors";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { T } from "./tokens.texts";

interface Typed {
  name: string;
  scope: string;
}

/**
 * /console/tokens: the live API tokens (name, scope, created, last use; never the token), a token created and shown
 * once on the answer page (only its hash is kept), and a token revoked after a confirmation page (no script needed).
 * The same TokensService as the CLI; only an admin of the whole organisation may create or revoke.
 */
export function tokensPage(d: ConsolePageDeps): Router {
  const { tokens } = d.services;
  const r = Router();
  r.use("/tokens", adminOnly);

  const list = async (req: Request, res: Response, typed: Typed, err: FieldError | null, status = 200) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const live = await tokens.list();
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="tokens" here={req.originalUrl}>
        {req.query.done === "revoked" ? <Notice>{t.revoked}</Notice> : null}
        <p>{t.noSecrets}</p>
        <TokenTable live={live} lang={locals.language} />
        <h2>{t.newTitle}</h2>
        <form method="post" action="/console/tokens">
          <CsrfField token={locals.csrfToken} />
          <Field
            name="name"
            label={t.name}
            hint={t.nameHint}
            value={typed.name}
            required
            error={errorFor(err, "name")}
          />
          <Select
            name="scope"
            label={t.scope}
            value={typed.scope}
            options={SCOPES.map((s) => ({ value: s, label: t[s] }))}
            error={errorFor(err, "scope")}
          />
          <button type="submit">{t.create}</button>
        </form>
      </Layout>,
      status,
    );
  };

  r.get("/tokens", (req, res) => list(req, res, { name: "", scope: "scim" }, null));

  r.post("/tokens", async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const typed = { name: textOf(body, "name").trim(), scope: textOf(body, "scope") };
    try {
      const { token } = await tokens.create(consoleCtx(req, res), typed.name, typed.scope);
      const locals = localsOf(res);
      const t = T[locals.language];
      sendView(
        res,
        <Layout locals={locals} title={t.createdTitle} section="tokens" here="/console/tokens">
          <SecretOnce label={t.yourToken} secret={token} warning={t.once} />
          <p>
            <a href="/console/tokens">{t.backToList}</a>
          </p>
        </Layout>,
        201,
      );
    } catch (e) {
      const err = fieldErrorOf(e);
      if (!err) throw e;
      await list(req, res, typed, err, err.status);
    }
  });

  r.get("/tokens/:id/revoke", async (req, res) => {
    const token = await tokens.get(String(req.params.id));
    const locals = localsOf(res);
    const t = T[locals.language];
    sendView(
      res,
      <Layout locals={locals} title={t.confirmTitle} section="tokens" here={req.originalUrl}>
        <p>{t.confirmText}</p>
        <dl class="facts">
          <dt>{t.name}</dt>
          <dd>{token.name}</dd>
          <dt>{t.scope}</dt>
          <dd>{token.scope}</dd>
          <dt>{t.lastUse}</dt>
          <dd>{token.lastUsedAt ? formatInstant(locals.language, token.lastUsedAt) : t.never}</dd>
        </dl>
        <form method="post" action={`/console/tokens/${token.id}/revoke`}>
          <CsrfField token={locals.csrfToken} />
          <button type="submit" class="danger">
            {t.confirm}
          </button>{" "}
          <a href="/console/tokens">{t.cancel}</a>
        </form>
      </Layout>,
    );
  });

  r.post("/tokens/:id/revoke", async (req, res) => {
    await tokens.revokeById(consoleCtx(req, res), String(req.params.id));
    res.redirect(303, "/console/tokens?done=revoked");
  });
  return r;
}

function TokenTable({ live, lang }: { live: TokenInfo[]; lang: "en" | "fr" }) {
  const t = T[lang];
  if (live.length === 0) return <p>{t.none}</p>;
  return (
    <table>
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.name}</th>
          <th scope="col">{t.scope}</th>
          <th scope="col">{t.created}</th>
          <th scope="col">{t.lastUse}</th>
          <th scope="col">{t.actions}</th>
        </tr>
      </thead>
      <tbody>
        {live.map((k) => (
          <tr>
            <td>{k.name}</td>
            <td>{k.scope}</td>
            <td>{formatInstant(lang, k.createdAt)}</td>
            <td>{k.lastUsedAt ? formatInstant(lang, k.lastUsedAt) : t.never}</td>
            <td>
              <a href={`/console/tokens/${k.id}/revoke`} aria-label={`${t.revoke} ${k.name}`}>
                {t.revoke}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
