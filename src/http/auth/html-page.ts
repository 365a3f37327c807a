import escapeText from "escape-html";
import type { Request, Response } from "express";
import type { Language } from "../../domain/language";

/**
 * The shell of every server-rendered page of the sign-in door (sign-in, password change, SSO, sign-up, access errors):
 * one stylesheet served by Roster (no inline style, no script: a strict Content-Security-Policy forbids both), the
 * page language in `lang`, a skip link, visible focus, and every inserted value escaped by the caller with escapeHtml.
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export const escapeHtml = (s: string | number | null | undefined): string => escapeText(String(s ?? ""));

/** Served at SIGN_IN_STYLESHEET_PATH (same origin), so the CSP needs no 'unsafe-inline'. */
export const SIGN_IN_STYLESHEET_PATH = "/auth/assets/sign-in.css";

/**
 * No script at all, styles from Roster only, forms post to Roster. `formTargets` adds the origins a form's answer may
 * redirect to (the platform's redirect URIs after a sign-in): Chrome applies form-action to redirects after a post.
 */
export function pageCsp(formTargets: readonly string[] = []): string {
  const targets = ["'self'", ...formTargets].join(" ");
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${targets}; frame-ancestors 'none'; base-uri 'none'`;
}

export const SIGN_IN_STYLESHEET = `body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem;border:1px solid #555;border-radius:4px}
button,.button{display:inline-block;margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem;border:2px solid #0b4f9c;border-radius:4px;background:#0b4f9c;color:#fff;text-decoration:none;cursor:pointer}
.button.secondary{background:#fff;color:#0b4f9c}
a:focus,button:focus,input:focus,.button:focus{outline:3px solid #f59e0b;outline-offset:2px}
.error{color:#a40000;border-left:4px solid #a40000;padding-left:.75rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.sso{list-style:none;padding:0}.sso li{margin:.5rem 0}
code{font-size:1.1rem;background:#f2f2f2;padding:.1rem .3rem}dl dt{font-weight:600}dl dd{margin:0 0 .5rem 0}
nav.lang{margin-top:2rem;font-size:.9rem}`;

export const PAGE_LANGUAGES: readonly Language[] = ["en", "fr"];

/**
 * The page language: a `lang` query parameter (the language links), then OpenID's `ui_locales` (space-separated,
 * in order of preference), then Accept-Language, else `fallback`.
 */
export function pageLanguage(req: Request, fallback: Language, uiLocales?: string | null): Language {
  const query = req.query as Record<string, unknown>;
  const tags: string[] = [];
  if (typeof query.lang === "string") tags.push(query.lang);
  if (uiLocales) tags.push(...uiLocales.split(/\s+/));
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if ((PAGE_LANGUAGES as string[]).includes(primary)) return primary as Language;
  }
  const accepted = req.acceptsLanguages([...PAGE_LANGUAGES]);
  return accepted ? (accepted as Language) : fallback;
}

const SKIP = { en: "Skip to the form", fr: "Aller au formulaire" } as const;
const OTHER = { en: { lang: "fr", label: "Français" }, fr: { lang: "en", label: "English" } } as const;

export interface Page {
  language: Language;
  title: string;
  /** Already-escaped HTML of the page's main content. */
  body: string;
  status?: number;
  /** Where forms of this page may post to besides Roster itself (CSP form-action). */
  formTargets?: readonly string[];
  /** The current path and query without `lang`, to offer the other language; omitted = no language link. */
  selfUrl?: string;
}

/** Sends a page of the sign-in door: HTML, no caching, the strict CSP, and the other language offered. */
export function sendPage(res: Response, page: Page): void {
  res
    .status(page.status ?? 200)
    .set({
      "Content-Security-Policy": pageCsp(page.formTargets),
      "X-Content-Type-Options": "nosniff",
      "Content-Language": page.language,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    })
    .type("html")
    .send(renderPage(page));
}

/** The page's HTML alone (for a sender other than express: the OpenID Provider's logout and error pages). */
export function renderPage(page: Page): string {
  const other = OTHER[page.language];
  const langLink = page.selfUrl
    ? `<nav class="lang" aria-label="Language"><a href="${escapeHtml(withLang(page.selfUrl, other.lang))}" lang="${other.lang}" hreflang="${other.lang}">${other.label}</a></nav>`
    : "";
  return `<!doctype html>
<html lang="${page.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><link rel="stylesheet" href="${SIGN_IN_STYLESHEET_PATH}"></head>
<body><a class="skip" href="#main">${SKIP[page.language]}</a>
<main id="main"><h1>${escapeHtml(page.title)}</h1>
${page.body}
${langLink}</main>
</body></html>`;
}

function withLang(url: string, lang: string): string {
  const u = new URL(url, "http://x");
  u.searchParams.set("lang", lang);
  return `${u.pathname}${u.search}`;
}
