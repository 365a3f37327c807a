import type { RequestHandler } from "express";
import type { Texts } from "./i18n";
import { localsOf } from "./session";
import { Layout } from "./view/layout";
import { sendView } from "./view/render";

const T: Texts<"title" | "why" | "back"> = {
  en: {
    title: "Not allowed",
    why: "This page is for administrators: it holds secrets and settings of the whole platform.",
    back: "Back to the console",
  },
  fr: {
    title: "Non autorisé",
    why: "Cette page est réservée aux administrateurs : elle contient des secrets et des réglages de toute la plateforme.",
    back: "Retour à la console",
  },
};

/**
 * Pages for admins only (settings, company SSO, API tokens, webhooks): the navigation hides them from auditors, and a
 * GET an auditor makes anyway is answered 403 here (their writes are already refused by the console router).
 */
export const adminOnly: RequestHandler = (req, res, next) => {
  const locals = localsOf(res);
  if (locals.principal.role === "admin") return next();
  const t = T[locals.language];
  sendView(
    res,
    <Layout locals={locals} title={t.title} here={req.originalUrl}>
      <p>{t.why}</p>
      <p>
        <a href="/console">{t.back}</a>
      </p>
    </Layout>,
    403,
  );
};
