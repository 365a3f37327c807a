import type { AuditRecord } from "../../../domain/audit-log/audit-log";
import type { Language } from "../../../domain/language";
import { formatInstant } from "../i18n";
import { T } from "./audit.texts";

const CHANGES_SHOWN = 300;

/** Where a subject's own console page is, when it has one. */
function subjectHref(type: string, id: string | null): string | null {
  if (!id) return null;
  if (type === "user") return `/console/people/${id}`;
  if (type === "group") return `/console/groups/${id}`;
  if (type === "entity") return `/console/entities/${id}`;
  return null;
}

/** One page of audit records: who did what, through which door, to what, and the change itself (long ones cut). */
export function AuditTable({ lang, records }: { lang: Language; records: readonly AuditRecord[] }) {
  const t = T[lang];
  if (records.length === 0) return <p>{t.none}</p>;
  return (
    <table>
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.seq}</th>
          <th scope="col">{t.at}</th>
          <th scope="col">{t.actor}</th>
          <th scope="col">{t.door}</th>
          <th scope="col">{t.action}</th>
          <th scope="col">{t.subject}</th>
          <th scope="col">{t.changes}</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => {
          const href = subjectHref(r.target.type, r.target.id);
          const changes = JSON.stringify(r.changes);
          return (
            <tr>
              <td>{r.seq}</td>
              <td>{formatInstant(lang, r.at)}</td>
              <td>
                {r.actor.name ?? r.actor.id ?? ""} <span class="hint">({r.actor.type})</span>
              </td>
              <td>{r.door}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td>
                {r.target.type} {href ? <a href={href}>{r.target.id}</a> : <span>{r.target.id ?? ""}</span>}
              </td>
              <td>
                <code>{changes.length > CHANGES_SHOWN ? `${changes.slice(0, CHANGES_SHOWN)}…` : changes}</code>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
