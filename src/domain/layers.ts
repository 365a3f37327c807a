/**
 * The domain folders, lowest layer first. A folder imports only folders of LOWER layers (and itself); files directly
 * in src/domain are the kernel. test/unit/domain-layers.test.ts fails on an import that breaks this, so import
 * cycles between folders cannot come back, and src/composition.ts builds the services with constructors only.
 * A higher layer that must act inside a lower one's transaction hands it a hook typed by the lower layer
 * (UsersService's UserHooks), given in the constructor by the composition root.
 * A table owner's `*.fragments.ts` (the SQL text other modules interpolate) is outside the layers: any folder may
 * import it, and it imports only other fragments and the kernel.
 */
export const DOMAIN_LAYERS: readonly (readonly string[])[] = [
  // 0 kernel: context (Ctx, TxCtx), errors, clock, unit-of-work (every transaction, audit + outbox rows), audit diffs,
  // topics (the outbox's events), scope (the actor's entity scope), ids, secrets, passwords, language, signal.
  ["kernel"],
  // 1 the outbox read as a job queue (claims, retries, dead letters); events, the platform's feed of changes.
  ["outbox", "events"],
  // 2 the organisation tree (entities and its recursive queries).
  ["entities"],
  // 3 users: the people every door writes (SCIM, admin, auth), their accounts, the admin search.
  ["users"],
  // 4 access (roles, admin scope), settings (run-time settings), tokens (bearer tokens), audit-log (reading, hash chain),
  // oidc: the OpenID Provider's state (sessions, grants, tokens), signing keys and platform clients; console: the
  // admin console's browser sessions.
  ["access", "settings", "tokens", "audit-log", "oidc", "console"],
  // 5 groups, their members and the admin door's view of them (scoped-groups.service.ts); a removed user leaving its groups.
  ["groups"],
  // 6 invitations: asked for (auto-invite, resend, mass invite) and issued to the worker.
  ["invitations"],
  // 7 people: the admin door's people use cases (manual policy, batches), space invitations.
  ["people"],
  // 8 jobs: admin background jobs and the mass actions they run.
  ["jobs"],
  // 9 auth: the end-user flows (joining with an invitation link, sign-in, passwords).
  ["auth"],
  // 10 reports: read-only views across owners (the reconciliation report), through their fragments; webhooks: endpoints
  // and their deliveries, fanned out from the events feed by the worker; sso: company SSO connections, links and
  // just-in-time creation, self sign-up and its department links; imports: CSV and xlsx files applied in batches
  // through the people use cases (the admin door's manual policy, per row).
  ["reports", "webhooks", "sso", "imports"],
];
