import type { ErrorRequestHandler, Request, Response } from "express";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  PreconditionFailedError,
  RefusedError,
  UnavailableError,
} from "../../domain/errors";
import { logger } from "../../log";
import { setRetryAfterOn503 } from "../shared/retry-after";
import { type Texts, consoleLanguage } from "./i18n";
import { BarePage, Layout } from "./view/layout";
import { sendView } from "./view/render";
import type { ConsoleLocals } from "./session";

const T: Texts<"notFound" | "forbidden" | "invalid" | "unavailable" | "failed" | "back" | "readOnly"> = {
  en: {
    notFound: "Not found, or outside what you may see",
    forbidden: "Not allowed",
    invalid: "This could not be done",
    unavailable: "The database does not answer: try again in a moment",
    failed: "Something went wrong on our side; it has been logged",
    back: "Back to the console",
    readOnly: "Auditors have read-only access to the console.",
  },
  fr: {
    notFound: "Introuvable, ou hors de ce que vous pouvez voir",
    forbidden: "Non autorisé",
    invalid: "Impossible de faire cela",
    unavailable: "La base de données ne répond pas : réessayez dans un instant",
    failed: "Une erreur est survenue de notre côté ; elle a été journalisée",
    back: "Retour à la console",
    readOnly: "Les auditeurs ont un accès en lecture seule à la console.",
  },
};

/** The status a domain error becomes in the console (the same mapping as the admin API's problem+json). */
export function statusOf(e: DomainError): number {
  if (e instanceof NotFoundError) return 404;
  if (e instanceof ForbiddenError) return 403;
  if (e instanceof ConflictError || e instanceof PreconditionFailedError) return 409;
  if (e instanceof InvalidError) return 400;
  if (e instanceof RefusedError) return e.kind === "forbidden" ? 403 : 409;
  if (e instanceof UnavailableError) return 503;
  return 400;
}

/** A page for what a page handler did not present itself: domain errors with their message, anything else 500 (logged). */
export function consoleErrorPage(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const lang = consoleLanguage(req);
    const t = T[lang];
    if (err instanceof DomainError) {
      const status = statusOf(err);
      if (status === 503) setRetryAfterOn503(res, 503);
      const title =
        status === 404 ? t.notFound : status === 403 ? t.forbidden : status === 503 ? t.unavailable : t.invalid;
      return page(req, res, status, title, status === 503 || status === 404 ? null : err.message);
    }
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err, reqId: req.id }, "console page failed");
    page(req, res, status, status === 500 ? t.failed : t.invalid, null);
  };
}

/** Writing refused to an auditor (the navigation hides writing pages; a post made anyway lands here). */
export function refuseReadOnly(req: Request, res: Response): void {
  page(req, res, 403, T[consoleLanguage(req)].forbidden, T[consoleLanguage(req)].readOnly);
}

/** An unknown console path (signed in): 404 inside the console's layout. */
export function consoleNotFound(req: Request, res: Response): void {
  page(req, res, 404, T[consoleLanguage(req)].notFound, null);
}

function page(req: Request, res: Response, status: number, title: string, detail: string | null): void {
  const locals = res.locals.console as ConsoleLocals | undefined;
  const t = T[consoleLanguage(req)];
  const body = (
    <>
      {detail ? <p>{detail}</p> : null}
      <p>
        <a href="/console">{t.back}</a>
      </p>
    </>
  );
  sendView(
    res,
    locals ? (
      <Layout locals={locals} title={title} here={req.originalUrl}>
        {body}
      </Layout>
    ) : (
      <BarePage lang={consoleLanguage(req)} title={title}>
        {body}
      </BarePage>
    ),
    status,
  );
}
