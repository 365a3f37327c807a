import type { ChainReport } from "../../../domain/audit-log/audit-chain.service";
import type { Language } from "../../../domain/language";
import { formatCount, formatInstant } from "../i18n";
import { Notice } from "../view/components";
import { T, fill } from "./audit.texts";

/** The result of a chain check: verified up to a seq, or where it breaks and why; in a live region (htmx swaps it in). */
export function ChainResult({ lang, report, at }: { lang: Language; report: ChainReport; at: Date }) {
  const t = T[lang];
  return (
    <div id="chain" role="status" aria-live="polite">
      {report.broken ? (
        <Notice kind="error">
          {fill(t.broken, {
            seq: String(report.broken.seq ?? `id ${report.broken.id}`),
            problem: report.broken.problem,
          })}
        </Notice>
      ) : report.head.seq === 0 ? (
        <Notice>{t.empty}</Notice>
      ) : (
        <Notice>{fill(t.verified, { n: formatCount(lang, report.records), seq: String(report.head.seq) })}</Notice>
      )}
      <dl class="facts">
        <dt>{t.head}</dt>
        <dd>
          <code>
            {report.head.seq}:{report.head.hash}
          </code>
        </dd>
        <dt>{t.checkedAt}</dt>
        <dd>{formatInstant(lang, at)}</dd>
      </dl>
    </div>
  );
}

/**
 * Where the check's result goes on the audit page. The check reads the whole chain (seconds on a long log), so the page
 * does not wait for it: htmx asks for it once the page is shown; without JavaScript, a link runs it.
 */
export function ChainPlaceholder({ lang, scoped }: { lang: Language; scoped: boolean }) {
  const t = T[lang];
  if (scoped) return <p class="hint">{t.scopedChain}</p>;
  return (
    <div
      id="chain"
      role="status"
      aria-live="polite"
      hx-get="/console/audit/chain"
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <p>
        <a href="/console/audit/chain">{t.verifyNow}</a>
      </p>
    </div>
  );
}
