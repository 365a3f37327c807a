import type { JobItem } from "../../../domain/jobs/job";
import type { Language } from "../../../domain/language";
import { T } from "./job-progress.texts";
import { reasonText } from "./job-reasons";
import { fill } from "./people-list.texts";

interface Named {
  id: string;
  userName: string;
  givenName: string | null;
  familyName: string | null;
}

/**
 * The people a job skipped or failed for, each with the stable reason code the admin API gives (`no_contact`,
 * `already_joined`...), named when they are still within the admin's reach. At most `shown` per outcome.
 */
export function JobProblems(p: { lang: Language; problems: JobItem[]; people: Named[]; shown: number }) {
  const t = T[p.lang];
  if (p.problems.length === 0) return <p>{t.noProblems}</p>;
  const byId = new Map(p.people.map((u) => [u.id, u]));
  const outcomeText = { failed: t.failed, skipped: t.skipped, not_found: t.notFound, done: t.done };
  const cut = (["failed", "skipped", "not_found"] as const).some(
    (o) => p.problems.filter((i) => i.outcome === o).length > p.shown,
  );
  const rows = (["failed", "skipped", "not_found"] as const).flatMap((o) =>
    p.problems.filter((i) => i.outcome === o).slice(0, p.shown),
  );
  return (
    <>
      <h3>{t.problems}</h3>
      <table>
        <caption>{t.problemsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.person}</th>
            <th scope="col">{t.outcome}</th>
            <th scope="col">{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => {
            const u = byId.get(i.userId);
            const name = u ? [u.givenName, u.familyName].filter(Boolean).join(" ") || u.userName : null;
            return (
              <tr>
                <td>{u ? <a href={`/console/people/${u.id}`}>{name}</a> : t.unknownPerson}</td>
                <td>{i.outcome ? outcomeText[i.outcome] : ""}</td>
                <td>
                  {reasonText(p.lang, i.reason ?? i.outcome ?? "") ?? ""} <code>{i.reason ?? i.outcome}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cut ? <p class="hint">{fill(t.morePro, { n: String(p.shown) })}</p> : null}
    </>
  );
}
