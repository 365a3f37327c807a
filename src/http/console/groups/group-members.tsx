import type { MemberSummary } from "../../../domain/groups/group-views";
import type { Language } from "../../../domain/language";
import type { UserSummary } from "../../../domain/users/users.search";
import { formatInstant } from "../i18n";
import { CsrfField } from "../view/components";
import { T, fill } from "./groups.texts";

type Named = { userName: string; givenName: string | null; familyName: string | null; displayName?: string | null };

/** How a person is named in a row: their display name or given and family names, with the userName. */
export function personLabel(p: Named): string {
  const name = p.displayName || [p.givenName, p.familyName].filter(Boolean).join(" ");
  return name ? `${name} (${p.userName})` : p.userName;
}

interface MembersProps {
  lang: Language;
  groupId: string;
  members: readonly MemberSummary[];
  /** The CSRF token when the reader may remove members (admins); auditors get no buttons. */
  csrf: string | null;
}

/** A page of members; an admin's row has its own small form removing that person (no script needed). */
export function MembersTable({ lang, groupId, members, csrf }: MembersProps) {
  const t = T[lang];
  if (members.length === 0) return <p>{t.noMembers}</p>;
  return (
    <table>
      <caption>{t.membersCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.person}</th>
          <th scope="col">{t.email}</th>
          <th scope="col">{t.entity}</th>
          <th scope="col">{t.status}</th>
          <th scope="col">{t.since}</th>
          {csrf ? <th scope="col">{t.remove}</th> : null}
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr>
            <td>
              <a href={`/console/people/${m.id}`}>{personLabel(m)}</a>
            </td>
            <td>{m.email ?? ""}</td>
            <td>{m.entity ? <a href={`/console/entities/${m.entity.id}`}>{m.entity.name}</a> : ""}</td>
            <td>
              <span class={`badge ${m.active ? "on" : "off"}`}>{m.active ? t.active : t.inactive}</span>
            </td>
            <td>{formatInstant(lang, m.addedAt)}</td>
            {csrf ? (
              <td>
                <form method="post" action={`/console/groups/${groupId}/members/${m.id}/remove`} class="inline">
                  <CsrfField token={csrf} />
                  <button type="submit" class="secondary" aria-label={fill(t.removeLabel, { name: personLabel(m) })}>
                    {t.remove}
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The form adding people by userName or email, typed one per line; its error shown beside the box. */
export function AddByNameForm(p: {
  lang: Language;
  groupId: string;
  csrf: string;
  typed: string;
  error: string | null;
}) {
  const t = T[p.lang];
  const described = `f-names-hint${p.error ? " f-names-error" : ""}`;
  return (
    <form method="post" action={`/console/groups/${p.groupId}/members`}>
      <CsrfField token={p.csrf} />
      <div class={`field${p.error ? " has-error" : ""}`}>
        <label for="f-names">{t.addNames}</label>
        <p class="hint" id="f-names-hint">
          {t.addNamesHint}
        </p>
        <textarea
          id="f-names"
          name="names"
          rows={4}
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={described}
          value={p.typed}
        />
        {p.error ? (
          <p class="field-error" id="f-names-error">
            <span aria-hidden="true">⚠ </span>
            {p.error}
          </p>
        ) : null}
      </div>
      <button type="submit">{t.addButton}</button>
    </form>
  );
}

/** People found by the search box, each with a checkbox naming them; one button adds those ticked. */
export function FoundPeople(p: { lang: Language; groupId: string; csrf: string; found: readonly UserSummary[] }) {
  const t = T[p.lang];
  if (p.found.length === 0) return <p>{t.nobodyFound}</p>;
  return (
    <form method="post" action={`/console/groups/${p.groupId}/members`}>
      <CsrfField token={p.csrf} />
      <table>
        <caption>{t.results}</caption>
        <thead>
          <tr>
            <th scope="col">{t.select.replace(" {name}", "")}</th>
            <th scope="col">{t.person}</th>
            <th scope="col">{t.email}</th>
          </tr>
        </thead>
        <tbody>
          {p.found.map((u) => (
            <tr>
              <td>
                <input type="checkbox" name="ids" value={u.id} aria-label={fill(t.select, { name: personLabel(u) })} />
              </td>
              <td>{personLabel(u)}</td>
              <td>{u.email ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit">{t.addSelected}</button>
    </form>
  );
}
