import type { ImportField } from "../../../domain/imports/import";
import type { StoredRow } from "../../../domain/imports/import-reruns.repository";
import type { ImportRecord } from "../../../domain/imports/imports.repository";
import { formatCount, formatInstant } from "../i18n";
import type { ConsoleLocals } from "../session";
import { Notice, Pager } from "../view/components";
import { FIELD_NAMES, RESULTS, RESULT_NAMES, type ResultName, STATUS_NAMES, isOpen } from "./import-names";
import { T } from "./imports.texts";

/**
 * An import's status, progress and counts: the inside of the page's live region, which htmx refreshes every 2 s while
 * the import is open (GET .../progress answers this alone; once the import is over it asks htmx to reload the page).
 */
export function ProgressBody({ locals, imp }: { locals: ConsoleLocals; imp: ImportRecord }) {
  const t = T[locals.language];
  const lang = locals.language;
  const c = imp.counts;
  const counted: [string, number][] = [
    [RESULT_NAMES[lang].created, c.created],
    [RESULT_NAMES[lang].updated, c.updated],
    [RESULT_NAMES[lang].unchanged, c.unchanged],
    [RESULT_NAMES[lang].skipped, c.skipped],
    [RESULT_NAMES[lang].failed, c.failed],
  ];
  return (
    <>
      <p>
        {t.status}
        {t.colon}
        <span class="badge">{STATUS_NAMES[lang][imp.status]}</span>
        {imp.dryRun ? <span class="badge"> {t.dryRun}</span> : null}
      </p>
      <p>
        <progress max={100} value={imp.progress.percent} aria-label={t.progress}>
          {imp.progress.percent}%
        </progress>{" "}
        {formatCount(lang, imp.progress.done)} / {formatCount(lang, imp.progress.total)} ({imp.progress.percent}%)
      </p>
      <dl class="facts">
        {counted.map(([label, n]) => (
          <>
            <dt>{label}</dt>
            <dd>{formatCount(lang, n)}</dd>
          </>
        ))}
        {imp.mode === "sync" ? (
          <>
            <dt>{t.deactivated}</dt>
            <dd>{formatCount(lang, imp.deactivated)}</dd>
          </>
        ) : null}
        <dt>{t.when}</dt>
        <dd>{formatInstant(lang, imp.createdAt)}</dd>
        <dt>{t.who}</dt>
        <dd>{imp.startedBy.name ?? imp.startedBy.id ?? ""}</dd>
      </dl>
      {imp.error ? <Notice kind="error">{imp.error}</Notice> : null}
    </>
  );
}

/** The live region: polled by htmx while open (hx-trigger), its words read out as they change (aria-live). */
export function Progress({ locals, imp }: { locals: ConsoleLocals; imp: ImportRecord }) {
  const t = T[locals.language];
  const poll = isOpen(imp.status)
    ? { "hx-get": `/console/imports/${imp.id}/progress`, "hx-trigger": "every 2s", "hx-swap": "innerHTML" }
    : {};
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t.progress}</h2>
      <div id="progress" role="status" aria-live="polite" {...poll}>
        <ProgressBody locals={locals} imp={imp} />
      </div>
    </section>
  );
}

/** How the columns were read, and the columns left out. */
export function MappingUsed({ locals, imp }: { locals: ConsoleLocals; imp: ImportRecord }) {
  const t = T[locals.language];
  const used = Object.entries(imp.mapping) as [string, ImportField][];
  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">{t.mappingUsed}</h2>
      <table>
        <caption>{t.mappingUsed}</caption>
        <thead>
          <tr>
            <th scope="col">{t.column}</th>
            <th scope="col">{t.readAs}</th>
          </tr>
        </thead>
        <tbody>
          {used.map(([label, field]) => (
            <tr>
              <td>{label}</td>
              <td>{FIELD_NAMES[locals.language][field]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t.unknownColumns}</h3>
      {imp.ignoredColumns.length ? (
        <ul>
          {imp.ignoredColumns.map((c) => (
            <li>{c}</li>
          ))}
        </ul>
      ) : (
        <p>{t.noUnknown}</p>
      )}
    </section>
  );
}

export interface PreviewProps {
  locals: ConsoleLocals;
  imp: ImportRecord;
  /** The file's columns read by a field (index and label), shown beside each row's result. */
  shown: { index: number; label: string }[];
  rows: StoredRow[];
  result: ResultName | null;
  next: string | null;
  first: string | null;
}

/** A page of the rows with what each came to (for a dry run: what would happen), filterable by result. */
export function Preview(p: PreviewProps) {
  const t = T[p.locals.language];
  const lang = p.locals.language;
  const base = `/console/imports/${p.imp.id}`;
  return (
    <section aria-labelledby="rows-title">
      <h2 id="rows-title">{p.imp.dryRun ? t.previewDry : t.preview}</h2>
      <form method="get" action={base} class="filters">
        <div class="field">
          <label for="f-result">{t.filter}</label>
          <select id="f-result" name="result">
            <option value="">{t.all}</option>
            {RESULTS.map((r) => (
              <option value={r} selected={r === p.result}>
                {RESULT_NAMES[lang][r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {t.show}
        </button>
      </form>
      <table>
        <caption>{p.imp.dryRun ? t.previewDry : t.preview}</caption>
        <thead>
          <tr>
            <th scope="col">{t.line}</th>
            {p.shown.map((c) => (
              <th scope="col">{c.label}</th>
            ))}
            <th scope="col">{t.result}</th>
            <th scope="col">{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row) => (
            <tr>
              <td>{row.line}</td>
              {p.shown.map((c) => (
                <td>{row.cells[c.index] ?? ""}</td>
              ))}
              <td>
                <span class="badge">{RESULT_NAMES[lang][(row.result ?? "not done") as ResultName] ?? row.result}</span>
              </td>
              <td>{row.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager prev={p.first} next={p.next} labels={{ prev: t.firstRows, next: t.nextRows, nav: t.rowPages }} />
    </section>
  );
}
