import { PERMISSIONS } from "../../domain/access/permissions";
import type { PersonView } from "../../domain/people/person";
import { primaryEmail } from "../../domain/people/person.rules";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A person as the admin API shows it (AdminUser in openapi.yaml). */
export function presentPerson(v: PersonView) {
  const u = v.user;
  return {
    id: u.id,
    userName: u.userName,
    givenName: u.name.givenName,
    familyName: u.name.familyName,
    displayName: u.displayName,
    email: primaryEmail(u),
    language: u.preferredLanguage,
    title: u.title,
    department: u.enterprise.department,
    manager: u.enterprise.managerId,
    active: u.active,
    source: u.source,
    external: u.account.external,
    invitedAt: iso(u.lifecycle.invitedAt),
    enrolledAt: iso(u.lifecycle.enrolledAt),
    lastLoginAt: iso(u.lifecycle.lastLoginAt),
    lastPushedAt: iso(u.lifecycle.lastPushedAt),
    invitation: v.invitation
      ? { status: v.invitation.status, invitedAt: iso(v.invitation.invitedAt), expiresAt: iso(v.invitation.expiresAt) }
      : null,
    entity: v.entity,
    role: u.account.systemRole,
    permissions: PERMISSIONS[u.account.systemRole],
    adminScope: v.adminScope,
    groups: u.groups.map((g) => ({ id: g.id, displayName: g.display })),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    version: u.version,
  };
}
