import type { Language } from "../../../domain/language";
import type { UserSummary } from "../../../domain/users/users.search";
import { formatInstant } from "../i18n";
import { T, fill } from "./people-list.texts";

/** How a person is named in the list: their names, else their userName. */
export const displayName = (u: UserSummary): string =>
  [u.givenName, u.familyName].filter(Boolean).join(" ") || u.userName;

export interface PeopleTableProps {
  lang: Language;
  people: UserSummary[];
  entityNames: Map<string, string>;
  /** Admins get a checkbox per row (the mass actions' selection); auditors do not. */
  selectable: boolean;
  /** Rows to show ticked (the selection posted back with an error). */
  checked: ReadonlySet<string>;
}

/**
 * One page of people: each row's state in words (badges carry words, never colour alone), the name linking to the
 * person's page, and for admins a checkbox labelled with the person's name.
 */
export function PeopleTable({ lang, people, entityNames, selectable, checked }: PeopleTableProps) {
  const t = T[lang];
  return (
    <table class="people">
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          {selectable ? <th scope="col">{t.selectCol}</th> : null}
          <th scope="col">{t.name}</th>
          <th scope="col">{t.userName}</th>
          <th scope="col">{t.email}</th>
          <th scope="col">{t.entity}</th>
          <th scope="col">{t.status}</th>
          <th scope="col">{t.lastConnection}</th>
        </tr>
      </thead>
      <tbody>
        {people.map((u) => (
          <tr>
            {selectable ? (
              <td>
                <input
                  type="checkbox"
                  name="ids"
                  value={u.id}
                  checked={checked.has(u.id)}
                  aria-label={fill(t.select, { name: displayName(u) })}
                />
              </td>
            ) : null}
            <td>
              <a href={`/console/people/${u.id}`}>{displayName(u)}</a>
            </td>
            <td>{u.userName}</td>
            <td>{u.email ?? ""}</td>
            <td>{u.entityId ? (entityNames.get(u.entityId) ?? "") : ""}</td>
            <td>
              <StatusBadges lang={lang} u={u} />
            </td>
            <td>{u.lastLoginAt ? formatInstant(lang, u.lastLoginAt) : t.never}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Active or deactivated; joined, invited or never invited; external: words first, colour only as a second cue. */
export function StatusBadges({ lang, u }: { lang: Language; u: UserSummary }) {
  const t = T[lang];
  const joining = u.enrolledAt ? t.joined : u.invitedAt ? t.invited : t.notInvited;
  return (
    <>
      <span class={`badge ${u.active ? "on" : "off"}`}>{u.active ? t.active : t.deactivated}</span>{" "}
      <span class={`badge${u.enrolledAt ? " on" : ""}`}>{joining}</span>
      {u.external ? (
        <>
          {" "}
          <span class="badge">{t.external}</span>
        </>
      ) : null}
    </>
  );
}
