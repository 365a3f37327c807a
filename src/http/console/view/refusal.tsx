import type { Response } from "express";
import type { Texts } from "../i18n";
import { BarePage } from "./layout";
import { sendView } from "./render";

export const T: Texts<
  "failedTitle" | "failed" | "again" | "refusedTitle" | "not_an_admin" | "account_disabled" | "outTitle" | "out"
> = {
  en: {
    failedTitle: "Sign-in did not finish",
    failed: "The sign-in could not be completed (it may have taken too long). Please try again.",
    again: "Sign in",
    refusedTitle: "No access to the console",
    not_an_admin: "Your account is not an administrator or auditor of Roster. Ask an administrator for access.",
    account_disabled: "Your account is deactivated.",
    outTitle: "Signed out",
    out: "You are signed out of the console.",
  },
  fr: {
    failedTitle: "La connexion n'a pas abouti",
    failed: "La connexion n'a pas pu aboutir (elle a peut-être pris trop de temps). Veuillez réessayer.",
    again: "Se connecter",
    refusedTitle: "Pas d'accès à la console",
    not_an_admin: "Votre compte n'est ni administrateur ni auditeur de Roster. Demandez l'accès à un administrateur.",
    account_disabled: "Votre compte est désactivé.",
    outTitle: "Déconnecté",
    out: "Vous êtes déconnecté de la console.",
  },
};

/** The console's sign-in could not finish (expired or tampered state, a refused answer): 400, try again. */
export function failed(res: Response, lang: "en" | "fr"): void {
  const t = T[lang];
  sendView(
    res,
    <BarePage lang={lang} title={t.failedTitle}>
      <p>{t.failed}</p>
      <p>
        <a class="button" href="/console/sign-in">
          {t.again}
        </a>
      </p>
    </BarePage>,
    400,
  );
}

/** A signed-in person who may not use the console: 403 with a stable code an admin can act on. */
export function refused(res: Response, lang: "en" | "fr", code: "not_an_admin" | "account_disabled"): void {
  const t = T[lang];
  sendView(
    res,
    <BarePage lang={lang} title={t.refusedTitle}>
      <p>{t[code]}</p>
      <p>
        <code>{code}</code>
      </p>
    </BarePage>,
    403,
  );
}
