/** The languages Roster writes to people in (invitation messages, the invitation page). */
export type Language = "en" | "fr";

/** The person's language from preferredLanguage or locale (`fr`, `fr-CA`, `fr_FR`...), else the default. */
export function languageOf(preferred: string | null, locale: string | null, fallback: Language): Language {
  for (const tag of [preferred, locale]) {
    const primary = tag
      ?.trim()
      .toLowerCase()
      .split(/[-_,;\s]/)[0];
    if (primary === "en" || primary === "fr") return primary;
  }
  return fallback;
}
