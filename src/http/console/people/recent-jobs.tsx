import type { JobView } from "../../../domain/jobs/job";
import type { Language } from "../../../domain/language";
import { formatCount, formatInstant } from "../i18n";
import { T } from "./job-progress.texts";

type JobLine = Omit<JobView, "done" | "skipped" | "failed" | "notFound" | "pending">;

/** The newest mass actions, each linking to its page (its counts are there: the list reads no items). */
export function RecentJobs({ lang, jobs }: { lang: Language; jobs: JobLine[] }) {
  const t = T[lang];
  if (jobs.length === 0) return <p>{t.none}</p>;
  return (
    <table>
      <caption>{t.jobsCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.job}</th>
          <th scope="col">{t.total}</th>
          <th scope="col">{t.progress}</th>
          <th scope="col">{t.requestedBy}</th>
          <th scope="col">{t.createdAt}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr>
            <td>
              <a href={`/console/jobs/${j.id}`}>{t[`action.${j.action}` as keyof typeof t] ?? j.action}</a>
            </td>
            <td>{formatCount(lang, j.total)}</td>
            <td>{t[`status.${j.status}`]}</td>
            <td>{j.requestedBy ?? ""}</td>
            <td>{formatInstant(lang, j.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
