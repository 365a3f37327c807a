import type { DataSource } from "typeorm";
import type { Config } from "./config/env";
import { AccessService } from "./domain/access/access.service";
import { AuditChainService } from "./domain/audit-log/audit-chain.service";
import { AuditLogService } from "./domain/audit-log/audit-log.service";
import { AuditSealer } from "./domain/audit-log/audit-sealer";
import { SignInEventsService } from "./domain/audit-log/sign-in-events.service";
import { CredentialsService } from "./domain/auth/credentials.service";
import { EnrolmentService } from "./domain/auth/enrolment.service";
import { AdminInviteService } from "./domain/auth/admin-invite.service";
import { PasswordSignInService } from "./domain/auth/password-sign-in.service";
import { type Clock, systemClock } from "./domain/clock";
import { EntitiesRepository } from "./domain/entities/entities.repository";
import { EntitiesService } from "./domain/entities/entities.service";
import { ScopedGroupsService } from "./domain/groups/scoped-groups.service";
import { GroupsService } from "./domain/groups/groups.service";
import { groupsOnUserRemoval, groupsOnUserRestore } from "./domain/groups/memberships";
import { InvitationsRepository } from "./domain/invitations/invitations.repository";
import { InvitationsService } from "./domain/invitations/invitations.service";
import { JobsService } from "./domain/jobs/jobs.service";
import { UserActionsService } from "./domain/jobs/users-actions.service";
import { DeadLettersService } from "./domain/outbox/dead-letters.service";
import { EventsService } from "./domain/events/events.service";
import { DeliveryQueue } from "./domain/webhooks/delivery-queue";
import { WebhooksService } from "./domain/webhooks/webhooks.service";
import { OutboxQueue } from "./domain/outbox/outbox.queue";
import { PeopleService } from "./domain/people/people.service";
import { ReconciliationService } from "./domain/reports/reconciliation.service";
import { ImportBatches } from "./domain/imports/import-batches";
import { RowApplier } from "./domain/imports/import-row.apply";
import { ImportsService } from "./domain/imports/imports.service";
import { GroupInvitationsService } from "./domain/people/group-invitations.service";
import { SettingsService } from "./domain/settings/settings.service";
import { OidcClientsService } from "./domain/oidc/oidc-clients.service";
import { OidcKeysService } from "./domain/oidc/oidc-keys.service";
import { OidcStateService } from "./domain/oidc/oidc-state.service";
import { keyEncryptionSecret, secretBoxFor } from "./config/key-encryption";
import { Signal } from "./domain/signal";
import { TokensService } from "./domain/tokens/tokens.service";
import { CredentialsRepository } from "./domain/users/credentials.repository";
import { UsersRepository } from "./domain/users/users.repository";
import { UsersSearch } from "./domain/users/users.search";
import { UsersService } from "./domain/users/users.service";
import { SsoConnectionsService } from "./domain/sso/sso-connections.service";
import { SsoAccounts } from "./domain/sso/sso-accounts";
import { SsoSignInService } from "./domain/sso/sso-sign-in.service";
import { SignUpService } from "./domain/sso/signup.service";
import { hkdfSync } from "node:crypto";
import { signInOptions } from "./http/auth/sign-in-options";
import { companyIdpClient } from "./net/company-idp.client";
import { ConsoleSessionsService } from "./domain/console/console-sessions.service";
import type { SecretBox } from "./domain/secret-box";
import { SignInRecorder } from "./domain/users/sign-ins";
import type { SignInPageOptions } from "./http/auth/sign-in-page-options";

/** How long a company SSO sign-in may stay at the IdP (its state, nonce and verifier are kept this long). */
export const SSO_STATE_TTL_SECONDS = 600;

/**
 * How long a retired signing key stays published: the longest lifetime of a token it signed (the provider's ID and
 * access tokens live an hour: src/http/oidc/provider-config.ts), with a margin for clock skew and caches.
 */
const OIDC_KEY_VERIFY_SECONDS = 2 * 3600;

/** Every service of a process, built once by createServices; the doors, the worker and the CLI take theirs from here. */
export interface Services {
  clock: Clock;
  // outbox
  outboxQueue: OutboxQueue;
  deadLetters: DeadLettersService;
  // events: the platform's feed of changes
  events: EventsService;
  // entities, users
  entities: EntitiesService;
  users: UsersService;
  search: UsersSearch;
  /** Records sign-in attempts (audit, last_login_at, enrolment): the sign-in door's one writer of them. */
  signIns: SignInRecorder;
  // access, settings, tokens, audit-log
  access: AccessService;
  settings: SettingsService;
  tokens: TokensService;
  audit: AuditLogService;
  auditChain: AuditChainService;
  auditSealer: AuditSealer;
  /** Sign-in attempts and refusals read from the audit log (GET /admin/v1/sign-in-events). */
  signInEvents: SignInEventsService;
  // oidc: the OpenID Provider's signing keys, platform clients and state (sessions, grants, tokens)
  oidcKeys: OidcKeysService;
  oidcClients: OidcClientsService;
  oidcState: OidcStateService;
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
  // auth: joining through an invitation link; passwords (sign-in, change, one-time)
  enrolment: EnrolmentService;
  credentials: CredentialsService;
  /** Password sign-in on the OpenID Provider's page (one-time passwords changed before it finishes). */
  passwordSignIn: PasswordSignInService;
  /** `roster admin invite`: an admin created or promoted, handed a one-time set-password link. */
  adminInvites: AdminInviteService;
  // reports
  reconciliation: ReconciliationService;
  // sso: company SSO connections
  ssoConnections: SsoConnectionsService;
  ssoSignIn: SsoSignInService;
  signUp: SignUpService;
  /** What the sign-in page offers besides passwords (SSO buttons, "Create an account"); none until SSO supplies it. */
  signInPageOptions: SignInPageOptions;
  // webhooks: endpoints (admin door) and their deliveries (worker)
  webhooks: WebhooksService;
  deliveryQueue: DeliveryQueue;
  // imports: files received by the door or the CLI, applied in batches by the worker's import loops (woken by importsQueued)
  imports: ImportsService;
  importBatches: ImportBatches;
  importsQueued: Signal;
  // console: the admin console's browser sessions; the box seals what the console keeps in a cookie
  consoleSessions: ConsoleSessionsService;
  box: SecretBox;
}

/**
 * The composition root: builds every service once, each after what it is given, by constructor only (no setters).
 * That is the layer order of src/domain/layers.ts, except that UsersService is given its hooks into groups/ and
 * invitations/ (typed in users/), so those two are built before it; neither needs anything from UsersService.
 * The repositories other folders read through are built first, once each, and handed to the services that use them.
 */
export function createServices(ds: DataSource, cfg: Config, clock: Clock = systemClock): Services {
  const repositories = {
    entities: new EntitiesRepository(),
    users: new UsersRepository(),
    credentials: new CredentialsRepository(),
    invitations: new InvitationsRepository(),
  };
  const outboxQueue = new OutboxQueue(ds);
  const events = new EventsService(ds);
  const entities = new EntitiesService(ds);
  const search = new UsersSearch(ds, repositories.entities);
  const signIns = new SignInRecorder(ds);
  const access = new AccessService(ds);
  const settings = new SettingsService(ds);
  const tokens = new TokensService(ds, repositories.users, cfg.TOKEN_CACHE_SECONDS * 1000);
  const audit = new AuditLogService(ds);
  const auditChain = new AuditChainService(ds);
  const auditSealer = new AuditSealer(ds);
  const signInEvents = new SignInEventsService(ds);
  const box = secretBoxFor(cfg);
  const oidcKeys = new OidcKeysService(ds, box, OIDC_KEY_VERIFY_SECONDS);
  const oidcClients = new OidcClientsService(ds, box);
  const oidcState = new OidcStateService(ds);
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
  const deadLetters = new DeadLettersService(ds, {
    "invitation.requested": (tx, job) => invitations.reviveIn(tx, job.invitationId),
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
  const groupInvitations = new GroupInvitationsService(ds, repositories.users, people, groups, invitations);
  const jobsEnqueued = new Signal();
  const jobs = new JobsService(ds, search, jobsEnqueued);
  const actions = new UserActionsService(
    users,
    repositories.users,
    search,
    jobs,
    cfg.ADMIN_ACTIONS_SYNC_MAX,
    invitations,
  );
  const enrolment = new EnrolmentService(ds, repositories.invitations, repositories.users, repositories.credentials, {
    clock,
    defaultLanguage: cfg.DEFAULT_LANGUAGE,
    policy: { minLength: cfg.PASSWORD_MIN_LENGTH, minScore: cfg.PASSWORD_MIN_SCORE },
    platformName: cfg.PLATFORM_NAME,
    ssoOnly: cfg.SSO_ONLY,
  });
  const credentials = new CredentialsService(
    ds,
    repositories.credentials,
    repositories.users,
    repositories.invitations,
    {
      clock,
      policy: { minLength: cfg.PASSWORD_MIN_LENGTH, minScore: cfg.PASSWORD_MIN_SCORE },
      ssoOnly: cfg.SSO_ONLY,
    },
  );
  const passwordSignIn = new PasswordSignInService(
    ds,
    credentials,
    repositories.credentials,
    repositories.invitations,
    {
      clock,
      policy: { minLength: cfg.PASSWORD_MIN_LENGTH, minScore: cfg.PASSWORD_MIN_SCORE },
      ssoOnly: cfg.SSO_ONLY,
    },
  );
  const adminInvites = new AdminInviteService(ds, users, people, invitations, { ssoOnly: cfg.SSO_ONLY });
  const reconciliation = new ReconciliationService(
    ds,
    async () => (await settings.idpDomainsVersioned()).value.domains,
  );
  // the one sealed-secret box (made above for the provider's keys and clients)
  const webhooks = new WebhooksService(ds, {
    allowPrivate: cfg.ALLOW_PRIVATE_TARGETS,
    overlapMs: cfg.WEBHOOK_SECRET_OVERLAP,
    box: () => box,
  });
  const deliveryQueue = new DeliveryQueue(ds, () => box);

  const companyIdp = companyIdpClient({ allowPrivate: cfg.ALLOW_PRIVATE_TARGETS, timeoutMs: cfg.OUTBOUND_TIMEOUT_MS });
  const publicBase = (cfg.PUBLIC_BASE_URL ?? `http://${cfg.HOST}:${cfg.PORT}`).replace(/\/$/, "");
  const ssoConnections = new SsoConnectionsService(ds, repositories.entities, companyIdp, box, {
    redirectUri: (id) => `${publicBase}/auth/sso/${id}/callback`,
  });
  const ssoSignIn = new SsoSignInService(
    ds,
    new SsoAccounts(ds, users, repositories.users, repositories.entities),
    companyIdp,
    box,
    { redirectUri: (id) => `${publicBase}/auth/sso/${id}/callback`, stateTtlSeconds: SSO_STATE_TTL_SECONDS },
  );
  const signUp = new SignUpService(ds, users, repositories.entities, entities, settings, {
    ssoOnly: cfg.SSO_ONLY,
    linkKey: Buffer.from(hkdfSync("sha256", keyEncryptionSecret(cfg), Buffer.alloc(0), "roster signup-link v1", 32)),
    linkUrl: (token) => `${publicBase}/auth/sign-up?link=${encodeURIComponent(token)}`,
  });
  const importsQueued = new Signal();
  const imports = new ImportsService(ds, people, importsQueued);
  const importBatches = new ImportBatches(ds, imports.repo, new RowApplier(users, people, credentials), users, {
    batchSize: cfg.IMPORT_BATCH_SIZE,
    syncMaxDeactivatePercent: cfg.SYNC_MAX_DEACTIVATE_PERCENT,
  });
  return {
    clock,
    outboxQueue,
    deadLetters,
    events,
    entities,
    users,
    search,
    signIns,
    access,
    settings,
    tokens,
    audit,
    auditChain,
    auditSealer,
    signInEvents,
    oidcKeys,
    oidcClients,
    oidcState,
    groups,
    scopedGroups,
    invitations,
    people,
    groupInvitations,
    jobs,
    actions,
    jobsEnqueued,
    enrolment,
    credentials,
    passwordSignIn,
    adminInvites,
    reconciliation,
    signInPageOptions: signInOptions(ssoConnections, settings),
    webhooks,
    deliveryQueue,
    ssoConnections,
    ssoSignIn,
    signUp,
    imports,
    importBatches,
    importsQueued,
    consoleSessions: new ConsoleSessionsService(ds, {
      idleMs: cfg.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      maxMs: cfg.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
    }),
    box,
  };
}
