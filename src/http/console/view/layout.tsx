import type { ComponentChildren } from "preact";
import type { Language } from "../../../domain/language";
import type { Texts } from "../i18n";
import type { ConsoleLocals } from "../session";
import { CsrfField } from "./components";

/** The console's sections, in the navigation's order; `writers` = hidden from auditors (read-only people). */
const SECTIONS = [
  { key: "people", path: "/console/people", writers: false },
  { key: "add", path: "/console/people/new", writers: true },
  { key: "imports", path: "/console/imports", writers: true },
  { key: "entities", path: "/console/entities", writers: false },
  { key: "groups", path: "/console/groups", writers: false },
  { key: "sso", path: "/console/sso", writers: true },
  { key: "tokens", path: "/console/tokens", writers: true },
  { key: "webhooks", path: "/console/webhooks", writers: true },
  { key: "settings", path: "/console/settings", writers: true },
  { key: "audit", path: "/console/audit", writers: false },
] as const;

export type Section = (typeof SECTIONS)[number]["key"];

const T: Texts<Section | "skip" | "nav" | "signOut" | "signedInAs" | "admin" | "auditor" | "scoped" | "language"> = {
  en: {
    people: "People",
    add: "Add people",
    imports: "Import",
    entities: "Entities",
    groups: "Groups",
    sso: "Company SSO",
    tokens: "API tokens",
    webhooks: "Webhooks",
    settings: "Settings",
    audit: "Audit log",
    skip: "Skip to content",
    nav: "Console sections",
    signOut: "Sign out",
    signedInAs: "Signed in as",
    admin: "admin",
    auditor: "auditor (read-only)",
    scoped: "limited to some entities",
    language: "Language",
  },
  fr: {
    people: "Personnes",
    add: "Ajouter des personnes",
    imports: "Importer",
    entities: "Entités",
    groups: "Groupes",
    sso: "SSO d'entreprise",
    tokens: "Jetons d'API",
    webhooks: "Webhooks",
    settings: "Paramètres",
    audit: "Journal d'audit",
    skip: "Aller au contenu",
    nav: "Sections de la console",
    signOut: "Se déconnecter",
    signedInAs: "Connecté en tant que",
    admin: "administrateur",
    auditor: "auditeur (lecture seule)",
    scoped: "limité à certaines entités",
    language: "Langue",
  },
};

export interface LayoutProps {
  locals: ConsoleLocals;
  title: string;
  /** The section this page belongs to (marked aria-current in the navigation). */
  section?: Section;
  /** The current path and query, to come back to after switching language. */
  here: string;
  children: ComponentChildren;
}

/**
 * Every signed-in console page: a skip link, the navigation (auditors see no writing sections), who is signed in and
 * as what, the language switch, sign-out (a form: a change, so CSRF-protected), then the page under its h1.
 * The body carries the CSRF token for htmx requests (hx-headers is JSON, read without eval).
 */
export function Layout({ locals, title, section, here, children }: LayoutProps) {
  const t = T[locals.language];
  const { principal } = locals;
  const other: Language = locals.language === "en" ? "fr" : "en";
  return (
    <html lang={locals.language}>
      <Head title={title} />
      <body hx-headers={JSON.stringify({ "X-CSRF-Token": locals.csrfToken })}>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="top">
          <a class="brand" href="/console">
            Roster
          </a>
          <nav aria-label={t.nav}>
            <ul>
              {SECTIONS.filter((s) => principal.role === "admin" || !s.writers).map((s) => (
                <li>
                  <a href={s.path} aria-current={s.key === section ? "page" : undefined}>
                    {t[s.key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span>
              {t.signedInAs} <strong>{principal.userName}</strong> ({principal.role === "admin" ? t.admin : t.auditor}
              {principal.entityScope ? `, ${t.scoped}` : ""})
            </span>
            <a href={`/console/language?to=${other}&back=${encodeURIComponent(here)}`} lang={other} hrefLang={other}>
              {other === "fr" ? "Français" : "English"}
            </a>
            <form method="post" action="/console/sign-out" class="inline">
              <CsrfField token={locals.csrfToken} />
              <button type="submit" class="link">
                {t.signOut}
              </button>
            </form>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** The document head: the stylesheet and htmx from Roster, htmx told not to inject styles nor evaluate code. */
export function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · Roster`}</title>
      <link rel="stylesheet" href="/console/assets/console.css" />
      <meta
        name="htmx-config"
        content={JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false })}
      />
      <script src="/console/assets/htmx.js" defer />
    </head>
  );
}

/** A page outside a session (refusals, signed out): the same look, no navigation. */
export function BarePage({ lang, title, children }: { lang: Language; title: string; children: ComponentChildren }) {
  return (
    <html lang={lang}>
      <Head title={title} />
      <body>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
