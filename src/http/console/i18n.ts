import type { Request, Response } from "express";
import type { Language } from "../../domain/language";
import { cookieOf } from "../auth/cookies";

/** The console's languages; every page's texts exist in each. */
export const CONSOLE_LANGUAGES: readonly Language[] = ["en", "fr"];
const LANGUAGE_COOKIE = "roster_console_lang";

/** Texts of a page or component in every console language: `texts[lang].key`. */
export type Texts<K extends string> = Record<"en" | "fr", Record<K, string>>;

/** The language chosen with the language switch (a cookie), else the browser's Accept-Language, else English. */
export function consoleLanguage(req: Request): Language {
  const chosen = cookieOf(req, LANGUAGE_COOKIE);
  if (chosen && (CONSOLE_LANGUAGES as string[]).includes(chosen)) return chosen as Language;
  const accepted = req.acceptsLanguages([...CONSOLE_LANGUAGES]);
  return accepted ? (accepted as Language) : "en";
}

/** Remembers the language chosen with the switch, for the console only, for a year. */
export function rememberLanguage(res: Response, lang: Language, secure: boolean): void {
  res.cookie(LANGUAGE_COOKIE, lang, {
    path: "/console",
    sameSite: "lax",
    httpOnly: true,
    secure,
    maxAge: 31_536_000_000,
  });
}

/** A date and time as people of `lang` read it (UTC, said so): the console shows stored instants, never guesses a zone. */
export function formatInstant(lang: Language, when: Date | string | null | undefined): string {
  if (!when) return "";
  const d = typeof when === "string" ? new Date(when) : when;
  if (Number.isNaN(d.getTime())) return "";
  return `${new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d)} UTC`;
}

/** A count with the language's digit grouping. */
export const formatCount = (lang: Language, n: number): string =>
  new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(n);
