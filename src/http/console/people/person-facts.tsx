import type { PersonView } from "../../../domain/people/person";
import type { Language } from "../../../domain/language";
import { PERMISSIONS } from "../../../domain/access/permissions";
import { primaryEmail } from "../../../domain/people/person.rules";
import { type Texts, formatInstant } from "../i18n";
import { LABELS, VALUES } from "./person-texts";

const T: Texts<
  "joined" | "queued" | "pending" | "expired" | "accepted" | "revoked" | "failed" | "notInvited" | "ssoOnly" | "primary"
> = {
  en: {
    joined: "joined on {at}",
    queued: "invitation asked for on {at}, not sent yet",
    pending: "invitation sent, link valid until {until}",
    expired: "invitation sent, link expired on {until}",
    accepted: "joined with the invitation",
    revoked: "invitation withdrawn",
    failed: "the invitation could not be delivered",
    notInvited: "not invited yet",
    ssoOnly: "no enrolment possible: people sign in with company SSO here (SSO_ONLY)",
    primary: "primary",
  },
  fr: {
    joined: "inscrit le {at}",
    queued: "invitation demandée le {at}, pas encore envoyée",
    pending: "invitation envoyée, lien valable jusqu'au {until}",
    expired: "invitation envoyée, lien expiré le {until}",
    accepted: "inscrit avec l'invitation",
    revoked: "invitation retirée",
    failed: "l'invitation n'a pas pu être remise",
    notInvited: "pas encore invité",
    ssoOnly: "pas d'inscription possible : on se connecte ici par le SSO de l'entreprise (SSO_ONLY)",
    primary: "principal",
  },
};

/** Where the person stands with joining: joined, their latest invitation's state, never invited, or no enrolment at all. */
export function enrolmentText(v: PersonView, lang: Language, ssoOnly: boolean): string {
  const t = T[lang];
  const u = v.user;
  if (u.lifecycle.enrolledAt) return t.joined.replace("{at}", formatInstant(lang, u.lifecycle.enrolledAt));
  if (ssoOnly) return t.ssoOnly;
  if (!v.invitation) return t.notInvited;
  return t[v.invitation.status]
    .replace("{at}", formatInstant(lang, v.invitation.invitedAt))
    .replace("{until}", formatInstant(lang, v.invitation.expiresAt));
}

/** Everything known about a person, as a description list (read by screen readers as term and value). */
export function PersonFacts({ view, lang, ssoOnly }: { view: PersonView; lang: Language; ssoOnly: boolean }) {
  const l = LABELS[lang];
  const v = VALUES[lang];
  const u = view.user;
  const rights = PERMISSIONS[u.account.systemRole];
  const isAdmin = u.account.systemRole !== "member";
  const main = primaryEmail(u);
  return (
    <dl class="facts">
      <dt>{l.id}</dt>
      <dd>
        <code>{u.id}</code>
      </dd>
      <dt>{l.givenName}</dt>
      <dd>{u.name.givenName ?? ""}</dd>
      <dt>{l.familyName}</dt>
      <dd>{u.name.familyName ?? ""}</dd>
      <dt>{l.userName}</dt>
      <dd>{u.userName}</dd>
      <dt>{l.emails}</dt>
      <dd>
        {u.emails.length === 0 ? v.none : null}
        {u.emails.map((e) => (
          <div>
            {e.value ?? ""}
            {e.value === main ? ` (${T[lang].primary})` : ""}
          </div>
        ))}
      </dd>
      <dt>{l.entity}</dt>
      <dd>{view.entity ? <a href={`/console/entities/${view.entity.id}`}>{view.entity.name}</a> : v.none}</dd>
      <dt>{l.language}</dt>
      <dd>{u.preferredLanguage ?? v.automatic}</dd>
      <dt>{l.role}</dt>
      <dd>{v[u.account.systemRole]}</dd>
      <dt>{l.allows}</dt>
      <dd>
        {rights.length === 0 ? v.nothing : null}
        <ul>
          {rights.map((p) => (
            <li>
              {v[p as keyof typeof v] ?? p} <code>{p}</code>
            </li>
          ))}
        </ul>
      </dd>
      {isAdmin ? (
        <>
          <dt>{l.adminScope}</dt>
          <dd>
            {view.adminScope.length === 0 ? v.wholeOrganisation : null}
            {view.adminScope.map((e) => (
              <div>
                <a href={`/console/entities/${e.id}`}>{e.name || e.id}</a>
              </div>
            ))}
          </dd>
        </>
      ) : null}
      <dt>{l.groups}</dt>
      <dd>
        {u.groups.length === 0 ? v.none : null}
        {u.groups.map((g) => (
          <div>
            <a href={`/console/groups/${g.id}`}>{g.display}</a>
          </div>
        ))}
      </dd>
      <dt>{l.lastLogin}</dt>
      <dd>{u.lifecycle.lastLoginAt ? formatInstant(lang, u.lifecycle.lastLoginAt) : v.never}</dd>
      <dt>{l.enrolment}</dt>
      <dd>{enrolmentText(view, lang, ssoOnly)}</dd>
      <dt>{l.active}</dt>
      <dd>
        <span class={`badge ${u.active ? "on" : "off"}`}>{u.active ? v.activeOn : v.activeOff}</span>
      </dd>
      <dt>{l.source}</dt>
      <dd>{u.source === "admin" ? v.byAdmin : v[u.source]}</dd>
      <dt>{l.external}</dt>
      <dd>{u.account.external ? v.externalPerson : v.internal}</dd>
    </dl>
  );
}
