import type { AuditLogService } from "../../../domain/audit-log/audit-log.service";
import type { AuditRecord } from "../../../domain/audit-log/audit-log";
import type { Ctx } from "../../../domain/context";
import type { Language } from "../../../domain/language";
import { type Texts, formatInstant } from "../i18n";
import { Pager } from "../view/components";

const PAGE = 20;
/** How many changed fields a row shows; the audit log page and its export have every one. */
const SHOWN_CHANGES = 6;

const T: Texts<
  "title" | "caption" | "when" | "who" | "door" | "action" | "changes" | "empty" | "prev" | "next" | "nav"
> = {
  en: {
    title: "Audit trail",
    caption: "What was done to this person, newest first",
    when: "When",
    who: "Who",
    door: "Through",
    action: "Action",
    changes: "Changes",
    empty: "Nothing recorded yet.",
    prev: "Newest",
    next: "Older",
    nav: "Audit trail pages",
  },
  fr: {
    title: "Historique d'audit",
    caption: "Ce qui a été fait sur cette personne, du plus récent au plus ancien",
    when: "Quand",
    who: "Qui",
    door: "Par",
    action: "Action",
    changes: "Modifications",
    empty: "Rien d'enregistré pour l'instant.",
    prev: "Plus récents",
    next: "Plus anciens",
    nav: "Pages de l'historique d'audit",
  },
};

/** `?after=` of the person page: the audit record id to continue after (newest first); anything else starts at the top. */
export function auditAfterOf(query: Record<string, unknown>): number | undefined {
  const after = query.after;
  return typeof after === "string" && /^\d{1,15}$/.test(after) ? Number(after) : undefined;
}

/** One page of the person's audit records, newest first, as the audit log service reads them (scope applied there). */
export function personAudit(audit: AuditLogService, ctx: Ctx, userId: string, afterId: number | undefined) {
  return audit.page(ctx, { userId }, { order: "desc", afterId, limit: PAGE });
}

const shown = (v: unknown) => (v === null || v === undefined ? "∅" : typeof v === "string" ? v : JSON.stringify(v));

function changesOf(r: AuditRecord): string[] {
  return Object.entries(r.changes)
    .slice(0, SHOWN_CHANGES)
    .map(([field, c]) =>
      c && typeof c === "object" && "after" in c
        ? `${field}: ${shown((c as { before?: unknown }).before)} → ${shown((c as { after: unknown }).after)}`
        : `${field}: ${shown(c)}`,
    );
}

/** The audit trail table and its pager (the first page links back to the top; older pages by id). */
export function PersonAudit(p: {
  lang: Language;
  userId: string;
  records: AuditRecord[];
  nextAfterId: number | null;
  paged: boolean;
}) {
  const t = T[p.lang];
  const base = `/console/people/${p.userId}`;
  return (
    <section aria-labelledby="audit-trail">
      <h2 id="audit-trail">{t.title}</h2>
      {p.records.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <table>
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.door}</th>
              <th scope="col">{t.action}</th>
              <th scope="col">{t.changes}</th>
            </tr>
          </thead>
          <tbody>
            {p.records.map((r) => (
              <tr>
                <td>{formatInstant(p.lang, r.at)}</td>
                <td>{r.actor.name ?? r.actor.type}</td>
                <td>{r.door}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {changesOf(r).map((c) => (
                    <div>{c}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        prev={p.paged ? `${base}#audit-trail` : null}
        next={p.nextAfterId === null ? null : `${base}?after=${p.nextAfterId}#audit-trail`}
        labels={{ prev: t.prev, next: t.next, nav: t.nav }}
      />
    </section>
  );
}
