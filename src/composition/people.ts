import { EntitiesService } from "../domain/entities/entities.service";
import { GroupsService } from "../domain/groups/groups.service";
import { groupsOnUserRemoval, groupsOnUserRestore } from "../domain/groups/memberships";
import { ScopedGroupsService } from "../domain/groups/scoped-groups.service";
import { InvitationsService } from "../domain/invitations/invitations.service";
import { JobsService } from "../domain/jobs/jobs.service";
import { UserActionsService } from "../domain/jobs/users-actions.service";
import { GroupInvitationsService } from "../domain/people/group-invitations.service";
import { PeopleService } from "../domain/people/people.service";
import { ReconciliationService } from "../domain/reports/reconciliation.service";
import type { SettingsService } from "../domain/settings/settings.service";
import { Signal } from "../domain/signal";
import { SignInRecorder } from "../domain/users/sign-ins";
import { UsersSearch } from "../domain/users/users.search";
import { UsersService } from "../domain/users/users.service";
import type { Foundation } from "./foundation";

/** Identity and people: entities, users, groups, invitations, people, the admin jobs over them, reports. */
export interface PeopleServices {
  // entities, users
  entities: EntitiesService;
  users: UsersService;
  search: UsersSearch;
  /** Records sign-in attempts (audit, last_login_at, enrolment): the sign-in door's one writer of them. */
  signIns: SignInRecorder;
  // groups, invitations, people
  groups: GroupsService;
  scopedGroups: ScopedGroupsService;
  invitations: InvitationsService;
  people: PeopleService;
  groupInvitations: GroupInvitationsService;
  // jobs: admin background jobs and mass actions; notified when a job is created (the worker's runner listens)
  jobs: JobsService;
  actions: UserActionsService;
  jobsEnqueued: Signal;
  // reports
  reconciliation: ReconciliationService;
}

/**
 * UsersService is given its hooks into groups/ and invitations/ (typed in users/), so those two are built before it;
 * neither needs anything from UsersService.
 */
export function buildPeople(
  { ds, cfg, clock, repositories }: Foundation,
  { settings }: { settings: SettingsService },
): PeopleServices {
  const search = new UsersSearch(ds, repositories.entities);
  const groups = new GroupsService(ds);
  const scopedGroups = new ScopedGroupsService(ds, groups, repositories.users);
  const invitations = new InvitationsService(ds, repositories.users, {
    ssoOnly: cfg.SSO_ONLY,
    ttlMs: cfg.INVITE_TTL,
    clock,
    communication: (m) => settings.communication(m),
  });
  const users = new UsersService(ds, repositories.entities, cfg.SCIM_ENTITY_MAPPING, {
    inviteIn: (tx, user, opts) => invitations.requestIn(tx, user, opts),
    invitesAutomatically: (source, m) => invitations.invitesAutomatically(source, m),
    removal: groupsOnUserRemoval,
    restore: groupsOnUserRestore(groups),
    fieldOwnership: (m) => settings.fieldOwnership(m),
  });
  const people = new PeopleService(
    ds,
    users,
    repositories.entities,
    scopedGroups,
    invitations,
    {
      policy: {
        userNames: cfg.ADMIN_USERNAME_POLICY,
        nameMinLength: cfg.ADMIN_NAME_MIN_LENGTH,
        nameDigits: cfg.ADMIN_NAME_ALLOW_DIGITS,
      },
      ssoOnly: cfg.SSO_ONLY,
    },
    () => settings.fieldOwnership(),
  );
  const jobsEnqueued = new Signal();
  const jobs = new JobsService(ds, search, jobsEnqueued);
  return {
    entities: new EntitiesService(ds),
    users,
    search,
    signIns: new SignInRecorder(ds),
    groups,
    scopedGroups,
    invitations,
    people,
    groupInvitations: new GroupInvitationsService(ds, repositories.users, people, groups, invitations),
    jobs,
    actions: new UserActionsService(users, repositories.users, search, jobs, cfg.ADMIN_ACTIONS_SYNC_MAX, invitations),
    jobsEnqueued,
    reconciliation: new ReconciliationService(ds, async () => (await settings.idpDomainsVersioned()).value.domains),
  };
}
