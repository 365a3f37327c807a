import { type Request, Router } from "express";
import { jsonBody, refuseMalformedUrl, requireBodyType } from "../middleware/well-formed-input";
import type { AccessService } from "../../domain/access/access.service";
import type { EntitiesService } from "../../domain/entities/entities.service";
import type { ScopedGroupsService } from "../../domain/groups/scoped-groups.service";
import type { PeopleService } from "../../domain/people/people.service";
import type { JobsService } from "../../domain/jobs/jobs.service";
import type { AuditLogService } from "../../domain/audit-log/audit-log.service";
import type { TokensService } from "../../domain/tokens/tokens.service";
import type { UserActionsService } from "../../domain/jobs/users-actions.service";
import type { UsersSearch } from "../../domain/users/users.search";
import type { UsersService } from "../../domain/users/users.service";
import type { InvitationsService } from "../../domain/invitations/invitations.service";
import type { DeadLettersService } from "../../domain/outbox/dead-letters.service";
import { type AdminJwtSettings, adminAuth, writesNeedAdmin } from "./admin-auth";
import { entitiesRouter } from "./entities.routes";
import { groupsRouter } from "./groups.routes";
import { peopleRouter } from "./people.routes";
import { jobsRouter } from "./jobs.routes";
import { usersSearchRouter } from "./users-search.routes";
import { auditRoutes } from "./audit.routes";
import { invitationsRouter } from "./invitations.routes";
import { deadLettersRouter } from "./dead-letters.routes";
import type { SsoConnectionsService } from "../../domain/sso/sso-connections.service";
import { ssoConnectionsRouter } from "./sso-connections.routes";
import type { SignUpService } from "../../domain/sso/signup.service";
import { signUpSettingRouter, signupLinksRouter } from "./sign-up.routes";
import { Problem, problemErrorHandler } from "../shared/problem";
import type { CredentialsService } from "../../domain/auth/credentials.service";
import { oneTimePasswordRouter } from "./one-time-password.routes";
import type { SettingsService } from "../../domain/settings/settings.service";
import { settingsRouter } from "./settings.routes";
import { reportsRouter } from "./reports.routes";
import type { ReconciliationService } from "../../domain/reports/reconciliation.service";
import type { GroupInvitationsService } from "../../domain/people/group-invitations.service";
import { groupInvitationsRouter } from "./group-invitations.routes";
import type { DevMailboxReader } from "../../modules/mail/dev-mailbox.reader";
import { devMailboxRouter } from "./dev-mailbox.routes";
import type { OidcClientsService } from "../../domain/oidc/oidc-clients.service";
import type { SignInEventsService } from "../../domain/audit-log/sign-in-events.service";
import { oidcClientsRouter } from "./oidc-clients.routes";
import { signInEventsRouter } from "./sign-in-events.routes";
import type { EventsService } from "../../domain/events/events.service";
import { eventsRouter } from "./events.routes";
import type { WebhooksService } from "../../domain/webhooks/webhooks.service";
import { webhooksRouter } from "./webhooks.routes";
import type { ImportRerunsService } from "../../domain/imports/import-reruns.service";
import type { ImportsService } from "../../domain/imports/imports.service";
import { importRunsRouter } from "./import-runs.routes";
import { importsRouter } from "./imports.routes";

export interface AdminDeps {
  users: UsersService;
  tokens: TokensService;
  access: AccessService;
  search: UsersSearch;
  actions: UserActionsService;
  jobs: JobsService;
  audit: AuditLogService;
  bodyLimitBytes: number;
  jsonMaxDepth: number;
  jwt?: AdminJwtSettings;
  // people lane
  entities: EntitiesService;
  people: PeopleService;
  batchMaxLines: number;
  // groups lane
  scopedGroups: ScopedGroupsService;
  invitations: InvitationsService;
  // auth lane
  credentials: CredentialsService;
  // delivery lane
  settings: SettingsService;
  groupInvitations: GroupInvitationsService;
  /** The dev mailbox (DATA_DIR/mail) when there is no SMTP_URL, else null. */
  devMailbox: DevMailboxReader | null;
  // worker lane
  deadLetters: DeadLettersService;
  // reports
  reconciliation: ReconciliationService;
  // company SSO connections
  ssoConnections: SsoConnectionsService;
  // self sign-up: its setting and the department links
  signUp: SignUpService;
  // the OpenID Provider: platform clients, and the sign-in attempts of the audit log
  oidcClients: OidcClientsService;
  signInEvents: SignInEventsService;
  // events feed and webhooks
  events: EventsService;
  webhooks: WebhooksService;
  // imports
  imports: ImportsService;
  importReruns: ImportRerunsService;
  importMaxBytes: number;
}

const JSON_TYPES = ["application/json", "application/*+json"];
/** An import's file: a form upload, or the file itself as the body. */
const IMPORT_TYPES = [
  "multipart/form-data",
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/** The admin REST door, mounted at /admin/v1 (described in openapi.yaml); answers application/problem+json on errors. */
export function adminRouter(d: AdminDeps): Router {
  const r = Router();
  r.use(adminAuth({ tokens: d.tokens, access: d.access, jwt: d.jwt }));
  r.use(writesNeedAdmin);
  r.use(refuseMalformedUrl);
  const bodyTypes = (req: Request) =>
    req.method === "POST" && req.path === "/users/batch"
      ? [...JSON_TYPES, "text/plain"]
      : req.method === "POST" && (req.path === "/imports" || req.path === "/imports/")
        ? IMPORT_TYPES
        : JSON_TYPES;
  r.use(
    requireBodyType(
      bodyTypes,
      () =>
        new Problem(
          415,
          "unsupported_media_type",
          "Send the body as application/json (text/plain for /users/batch; multipart/form-data or text/csv for /imports)",
        ),
    ),
  );
  r.use(jsonBody({ type: JSON_TYPES, limit: d.bodyLimitBytes, strict: true, maxDepth: d.jsonMaxDepth }));
  // search + mass actions: GET /users and POST /users/actions only, beside the router of single users
  r.use("/users", usersSearchRouter({ search: d.search, actions: d.actions }));
  r.use("/jobs", jobsRouter(d.jobs));

  // --- people lane: entities, and people created, read and changed one by one or in batches ---
  r.use("/entities", entitiesRouter(d.entities));
  r.use("/users", peopleRouter({ people: d.people, batchMaxLines: d.batchMaxLines, bodyLimitBytes: d.bodyLimitBytes }));

  // --- invitations: the latest invitation of a person, send or resend ---
  r.use("/users", invitationsRouter(d.invitations));

  // --- auth lane: a one-time password an admin sets (or has generated), changed by the person at first sign-in ---
  r.use("/users", oneTimePasswordRouter(d.credentials));
  // --- delivery lane: the communication setting, the dev mailbox, external people invited into a space ---
  r.use(
    "/settings/sign-up",
    signUpSettingRouter(d.signUp, () => d.settings.signUpVersioned()),
  );
  r.use("/settings", settingsRouter(d.settings));
  r.use("/entities", signupLinksRouter(d.signUp));
  r.use("/groups", groupInvitationsRouter(d.groupInvitations));
  r.use("/dev", devMailboxRouter(d.devMailbox));

  r.use("/audit", auditRoutes(d.audit));
  // --- groups lane: groups (spaces) browsed by admins and auditors, members added and removed by admins ---
  r.use("/groups", groupsRouter(d.scopedGroups));
  // --- worker lane: jobs the outbox worker gave up on, listed and retried ---
  r.use("/dead-letters", deadLettersRouter(d.deadLetters));
  // --- reports: the reconciliation report (JSON pages, or the whole report as streamed CSV) ---
  r.use("/reports", reportsRouter(d.reconciliation));
  // --- sign-in: company SSO connections (the IdP discovered at each write, the secret sealed, never shown) ---
  r.use("/sso-connections", ssoConnectionsRouter(d.ssoConnections));
  // --- sign-in: the OpenID Provider's platform clients; sign-in attempts and refusals ("why can't she log in?") ---
  r.use("/clients", oidcClientsRouter(d.oidcClients));
  r.use("/sign-in-events", signInEventsRouter(d.signInEvents));
  // --- the platform's view: the events feed ---
  r.use("/events", eventsRouter(d.events));
  r.use("/webhooks", webhooksRouter(d.webhooks));
  // --- imports: CSV and xlsx files applied in batches by the worker, their reports and templates ---
  r.use("/imports", importRunsRouter(d.importReruns));
  r.use("/imports", importsRouter(d.imports, d.importReruns, d.importMaxBytes));

  r.use((req) => {
    throw new Problem(404, "not_found", `No admin endpoint at ${req.method} ${req.originalUrl.split("?")[0]}`);
  });
  r.use(problemErrorHandler);
  return r;
}
