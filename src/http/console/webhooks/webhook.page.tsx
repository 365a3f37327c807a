import { Router } from "express";
import type { Webhook } from "../../../domain/webhooks/webhooks.repository";
import { formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { type ConsoleLocals, consoleCtx, localsOf } from "../session";
import { CsrfField, Notice } from "../view/components";
import { SecretOnce, StateBadge } from "../view/controls";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { T, doneText } from "./webhooks.texts";
import { DeliveriesTable } from "./webhooks.views";

const RECENT = 25;

/**
 * /console/webhooks/:id: one endpoint, its recent deliveries (status, attempts, last error) with "retry" for a failed
 * one, enable or disable, rotate the secret (the new one shown once), delete after a confirmation page.
 */
export function webhookPage(d: ConsolePageDeps): Router {
  const { webhooks } = d.services;
  const r = Router();

  r.get("/webhooks/:id", async (req, res) => {
    const ctx = consoleCtx(req, res);
    const w = await webhooks.get(ctx, String(req.params.id));
    const recent = await webhooks.deliveriesOf(ctx, w.id, null, null, RECENT);
    const locals = localsOf(res);
    const t = T[locals.language];
    const done = doneText(locals.language, req.query.done);
    sendView(
      res,
      <Layout locals={locals} title={w.url} section="webhooks" here={req.originalUrl}>
        {done ? <Notice>{done}</Notice> : null}
        <Facts w={w} locals={locals} />
        <p>
          <ActionButton locals={locals} action={`/console/webhooks/${w.id}/${w.enabled ? "disable" : "enable"}`}>
            {w.enabled ? t.disable : t.enable}
          </ActionButton>{" "}
          <ActionButton locals={locals} action={`/console/webhooks/${w.id}/rotate`}>
            {t.rotate}
          </ActionButton>{" "}
          <a href={`/console/webhooks/${w.id}/delete`}>{t.delete}</a>
        </p>
        <h2>{t.deliveries}</h2>
        <DeliveriesTable lang={locals.language} csrf={locals.csrfToken} webhookId={w.id} items={recent.items} />
        <p>
          <a href="/console/webhooks">{t.backToList}</a>
        </p>
      </Layout>,
    );
  });

  for (const [path, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    r.post(`/webhooks/:id/${path}`, async (req, res) => {
      const w = await webhooks.setEnabled(consoleCtx(req, res), String(req.params.id), enabled);
      res.redirect(303, `/console/webhooks/${w.id}?done=${enabled ? "enabled" : "disabled"}`);
    });
  }

  r.post("/webhooks/:id/rotate", async (req, res) => {
    const { webhook, secret } = await webhooks.rotateSecret(consoleCtx(req, res), String(req.params.id));
    const locals = localsOf(res);
    const t = T[locals.language];
    sendView(
      res,
      <Layout locals={locals} title={t.rotatedTitle} section="webhooks" here={`/console/webhooks/${webhook.id}`}>
        <p>
          <code>{webhook.url}</code>
        </p>
        <SecretOnce label={t.secretLabel} secret={secret} warning={t.secretOnce} />
        {webhook.previousSecretUntil ? (
          <p>
            {t.overlap} {formatInstant(locals.language, webhook.previousSecretUntil)}
          </p>
        ) : null}
        <p>
          <a href={`/console/webhooks/${webhook.id}`}>{t.open}</a>
        </p>
      </Layout>,
    );
  });

  r.post("/webhooks/:id/deliveries/:deliveryId/retry", async (req, res) => {
    const id = String(req.params.id);
    await webhooks.retryDelivery(consoleCtx(req, res), id, String(req.params.deliveryId));
    res.redirect(303, `/console/webhooks/${id}?done=retried`);
  });

  r.get("/webhooks/:id/delete", async (req, res) => {
    const w = await webhooks.get(consoleCtx(req, res), String(req.params.id));
    const locals = localsOf(res);
    const t = T[locals.language];
    sendView(
      res,
      <Layout locals={locals} title={t.delete} section="webhooks" here={req.originalUrl}>
        <p>{t.confirmDelete}</p>
        <Facts w={w} locals={locals} />
        <form method="post" action={`/console/webhooks/${w.id}/delete`}>
          <CsrfField token={locals.csrfToken} />
          <button type="submit" class="danger">
            {t.confirm}
          </button>{" "}
          <a href={`/console/webhooks/${w.id}`}>{t.cancel}</a>
        </form>
      </Layout>,
    );
  });

  r.post("/webhooks/:id/delete", async (req, res) => {
    await webhooks.remove(consoleCtx(req, res), String(req.params.id));
    res.redirect(303, "/console/webhooks?done=deleted");
  });
  return r;
}

function Facts({ w, locals }: { w: Webhook; locals: ConsoleLocals }) {
  const t = T[locals.language];
  return (
    <dl class="facts">
      <dt>{t.url}</dt>
      <dd>{w.url}</dd>
      <dt>{t.events}</dt>
      <dd>{w.events.join(", ")}</dd>
      {w.description ? (
        <>
          <dt>{t.description}</dt>
          <dd>{w.description}</dd>
        </>
      ) : null}
      <dt>{t.state}</dt>
      <dd>
        <StateBadge on={w.enabled} label={w.enabled ? t.enabled : t.disabled} />
        {!w.enabled && w.disabledReason ? ` (${t.disabledWhy}: ${w.disabledReason})` : ""}
      </dd>
      <dt>{t.created}</dt>
      <dd>{formatInstant(locals.language, w.createdAt)}</dd>
    </dl>
  );
}

function ActionButton(p: { locals: ConsoleLocals; action: string; children: string }) {
  return (
    <form method="post" action={p.action} class="inline">
      <CsrfField token={p.locals.csrfToken} />
      <button type="submit" class="secondary">
        {p.children}
      </button>
    </form>
  );
}
