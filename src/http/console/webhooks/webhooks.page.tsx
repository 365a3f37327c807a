import { type Request, type Response, Router } from "express";
import { cursorText, encodeCursor } from "../../../domain/cursor";
import { adminOnly } from "../admin-only";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Notice, Pager } from "../view/components";
import { SecretOnce } from "../view/controls";
import { textOf, valuesOf } from "../view/form-values";
import { type FieldError, fieldErrorOf } from "../view/field-errors";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { webhookPage } from "./webhook.page";
import { T, doneText } from "./webhooks.texts";
import { type TypedWebhook, WebhookForm, WebhookTable } from "./webhooks.views";

const PAGE = 50;
const KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}\|[0-9a-f-]{36}$/;

/** The position after which a page starts (`?after=`, an opaque cursor); anything else is the first page. */
function afterOf(q: unknown): { createdAt: string; id: string } | null {
  const text = typeof q === "string" ? cursorText(q) : null;
  if (!text || !KEY.test(text)) return null;
  const [createdAt, id] = text.split("|");
  return { createdAt, id };
}

/**
 * /console/webhooks: the endpoints (paged by the service, never loaded whole), one added with its `whsec_` secret
 * shown once on the answer page (a private target refused with the reason beside the URL), and each endpoint's page
 * (webhook.page.tsx). The same WebhooksService as /admin/v1/webhooks.
 */
export function webhooksPage(d: ConsolePageDeps): Router {
  const { webhooks } = d.services;
  const r = Router();
  r.use("/webhooks", adminOnly);

  const list = async (req: Request, res: Response, typed: TypedWebhook, err: FieldError | null, status = 200) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const page = await webhooks.list(consoleCtx(req, res), afterOf(req.query.after), PAGE);
    const done = doneText(locals.language, req.query.done);
    const next = page.next ? `/console/webhooks?after=${encodeCursor(`${page.next.createdAt}|${page.next.id}`)}` : null;
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="webhooks" here={req.originalUrl}>
        {done ? <Notice>{done}</Notice> : null}
        <WebhookTable lang={locals.language} items={page.items} />
        <Pager next={next} labels={{ prev: "", next: t.more, nav: t.caption }} />
        <h2>{t.newTitle}</h2>
        <WebhookForm lang={locals.language} csrf={locals.csrfToken} typed={typed} err={err} />
      </Layout>,
      status,
    );
  };

  r.get("/webhooks", (req, res) => list(req, res, { url: "", events: [], description: "" }, null));

  r.post("/webhooks", async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const typed = {
      url: textOf(body, "url").trim(),
      events: valuesOf(body, "events"),
      description: textOf(body, "description"),
    };
    try {
      const { webhook, secret } = await webhooks.create(consoleCtx(req, res), typed);
      const locals = localsOf(res);
      const t = T[locals.language];
      sendView(
        res,
        <Layout locals={locals} title={t.createdTitle} section="webhooks" here="/console/webhooks">
          <p>
            <code>{webhook.url}</code>
          </p>
          <SecretOnce label={t.secretLabel} secret={secret} warning={t.secretOnce} />
          <p>
            <a href={`/console/webhooks/${webhook.id}`}>{t.open}</a> · <a href="/console/webhooks">{t.backToList}</a>
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

  r.use(webhookPage(d));
  return r;
}
