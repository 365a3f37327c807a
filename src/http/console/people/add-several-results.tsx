import type { BatchResult, BatchStatus } from "../../../domain/people/people-batch";
import type { Language } from "../../../domain/language";
import { type Texts, formatCount } from "../i18n";

const T: Texts<
  | "caption"
  | "line"
  | "email"
  | "outcome"
  | "summary"
  | "created"
  | "exists"
  | "invalid"
  | "duplicate"
  | "duplicateOf"
  | "open"
  | "more"
> = {
  en: {
    caption: "What happened to each line",
    line: "Line",
    email: "Email",
    outcome: "Outcome",
    summary: "{created} added, {exists} already there, {invalid} refused, {duplicate} repeated.",
    created: "✓ added",
    exists: "= already there",
    invalid: "✗ refused",
    duplicate: "= repeated",
    duplicateOf: "the same email as line {n}",
    open: "open",
    more: "Add more people",
  },
  fr: {
    caption: "Ce qu'il est advenu de chaque ligne",
    line: "Ligne",
    email: "E-mail",
    outcome: "Résultat",
    summary: "{created} ajoutées, {exists} déjà présentes, {invalid} refusées, {duplicate} répétées.",
    created: "✓ ajoutée",
    exists: "= déjà présente",
    invalid: "✗ refusée",
    duplicate: "= répétée",
    duplicateOf: "le même e-mail qu'à la ligne {n}",
    open: "ouvrir",
    more: "Ajouter d'autres personnes",
  },
};

/** Each pasted line's outcome, the outcome in words and a mark (never colour alone), with the reason of a refusal. */
export function AddSeveralResults({ lang, results }: { lang: Language; results: BatchResult[] }) {
  const t = T[lang];
  const count: Record<BatchStatus, number> = { created: 0, exists: 0, invalid: 0, duplicate: 0 };
  for (const r of results) count[r.status]++;
  const summary = t.summary.replace(/\{(\w+)\}/g, (_, k: BatchStatus) => formatCount(lang, count[k] ?? 0));
  return (
    <section aria-labelledby="results">
      <h2 id="results">{t.caption}</h2>
      <p role="status">{summary}</p>
      <table>
        <caption>{t.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.line}</th>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.outcome}</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr>
              <td>{r.line}</td>
              <td>{r.email}</td>
              <td>
                <span class={`badge ${r.status === "created" ? "on" : r.status === "invalid" ? "off" : ""}`}>
                  {t[r.status]}
                </span>{" "}
                {r.status === "created" && r.id ? <a href={`/console/people/${r.id}`}>{r.userName ?? t.open}</a> : null}
                {r.status === "duplicate" && r.duplicateOf !== undefined
                  ? t.duplicateOf.replace("{n}", String(r.duplicateOf))
                  : (r.detail ?? "")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/console/people/batch">{t.more}</a>
      </p>
    </section>
  );
}
