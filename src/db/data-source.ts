import "reflect-metadata";
import { DataSource } from "typeorm";
import { InitialSchema1764000000000 } from "../../migrations/1764000000000-initial-schema";
import { UsersAutovacuum1764000000001 } from "../../migrations/1764000000001-users-autovacuum";
import { EmailValuesIndex1764000000002 } from "../../migrations/1764000000002-email-values-index";
import { AdminFoundation1764000000003 } from "../../migrations/1764000000003-admin-foundation";
import { Groups1764000000010 } from "../../migrations/1764000000010-groups";
import { PeopleIndexes1764000000004 } from "../../migrations/1764000000004-people-indexes";
import { AdminSearch1764000000006 } from "../../migrations/1764000000006-admin-search";
import { AdminJobs1764000000007 } from "../../migrations/1764000000007-admin-jobs";
import { AuditChain1764000000008 } from "../../migrations/1764000000008-audit-chain";
import { AuditFilterIndexes1764000000009 } from "../../migrations/1764000000009-audit-filter-indexes";
import { AuditSealAfterCommit1764000000011 } from "../../migrations/1764000000011-audit-seal-after-commit";
import { InvitationsWorker1764000000012 } from "../../migrations/1764000000012-invitations-worker";
import { RateLimits1764000000013 } from "../../migrations/1764000000013-rate-limits";
import { LifecycleColumns1764000000070 } from "../../migrations/1764000000070-lifecycle-columns";
import { UserTallies1764000000130 } from "../../migrations/1764000000130-user-tallies";
import { EmailIndexNoPendingList1764000000141 } from "../../migrations/1764000000141-email-index-no-pending-list";
import { Console1764000000150 } from "../../migrations/1764000000150-console";
import { PeopleConsole1764000000190 } from "../../migrations/1764000000190-people-console";
import { TokenLastUse1764000000230 } from "../../migrations/1764000000230-token-last-use";
import { AuditSealsInsertOnly1764000000250 } from "../../migrations/1764000000250-audit-seals-insert-only";
import { ImportResults1764000000300 } from "../../migrations/1764000000300-import-results";
import { ImportTallies1764000000310 } from "../../migrations/1764000000310-import-tallies";
import { ImportRowsDuplicatesAndStalls1764000000160 } from "../../migrations/1764000000160-import-rows-duplicates-and-stalls";
import { SearchUserNameCoveringIndex1764000000170 } from "../../migrations/1764000000170-search-user-name-covering-index";
import { SearchTextStatistics1764000000171 } from "../../migrations/1764000000171-search-text-statistics";
import { OpenIdProvider1764000000090 } from "../../migrations/1764000000090-openid-provider";
import { SignInEventsIndex1764000000091 } from "../../migrations/1764000000091-sign-in-events-index";
import { EventsAndWebhooks1764000000110 } from "../../migrations/1764000000110-events-and-webhooks";
import { WebhookAttemptLog1764000000111 } from "../../migrations/1764000000111-webhook-attempt-log";
import { Sso1764000000100 } from "../../migrations/1764000000100-sso";
import { Imports1764000000080 } from "../../migrations/1764000000080-imports";
import { InvitationPurpose1764000000180 } from "../../migrations/1764000000180-invitation-purpose";
import { ImportsStaged1764000000210 } from "../../migrations/1764000000210-imports-staged";
import type { Config } from "../config/env";
import { DiscardingClient } from "./discarding-client";

/** Listed explicitly (no globs) so the same list works from src/ under tsx and from dist/. */
export const migrations = [
  InitialSchema1764000000000,
  UsersAutovacuum1764000000001,
  EmailValuesIndex1764000000002,
  AdminFoundation1764000000003,
  PeopleIndexes1764000000004,
  AdminSearch1764000000006,
  AdminJobs1764000000007,
  AuditChain1764000000008,
  AuditFilterIndexes1764000000009,
  Groups1764000000010,
  AuditSealAfterCommit1764000000011,
  InvitationsWorker1764000000012,
  RateLimits1764000000013,
  LifecycleColumns1764000000070,
  UserTallies1764000000130,
  EmailIndexNoPendingList1764000000141,
  Console1764000000150,
  PeopleConsole1764000000190,
  TokenLastUse1764000000230,
  SearchUserNameCoveringIndex1764000000170,
  SearchTextStatistics1764000000171,
  OpenIdProvider1764000000090,
  SignInEventsIndex1764000000091,
  EventsAndWebhooks1764000000110,
  WebhookAttemptLog1764000000111,
  Sso1764000000100,
  Imports1764000000080,
  InvitationPurpose1764000000180,
  ImportsStaged1764000000210,
  ImportRowsDuplicatesAndStalls1764000000160,
  AuditSealsInsertOnly1764000000250,
  ImportResults1764000000300,
  ImportTallies1764000000310,
];

/** How long a database call may wait, in ms (0: no bound). See DB_*_TIMEOUT_MS in src/config/env.ts. */
export interface DbTimeouts {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  queryMs: number;
}

export const dbTimeouts = (cfg: Config): DbTimeouts => ({
  connectMs: cfg.DB_CONNECT_TIMEOUT_MS,
  statementMs: cfg.DB_STATEMENT_TIMEOUT_MS,
  lockMs: cfg.DB_LOCK_TIMEOUT_MS,
  queryMs: cfg.DB_QUERY_TIMEOUT_MS,
});

/** Migrations may rewrite big tables: only the connection wait is bounded. */
export const migrationTimeouts = (t: DbTimeouts): DbTimeouts => ({
  connectMs: t.connectMs,
  statementMs: 0,
  lockMs: 0,
  queryMs: 0,
});

/**
 * A TypeORM DataSource on `url`: connections, transactions and migrations only (no entity classes: every table is reached
 * through its owner's SQL, src/db/sql.ts); schema changes come only from migrations, never `synchronize`. With `timeouts`, every
 * connection has the server-side statement_timeout and lock_timeout (sent in the startup packet, no extra round trip)
 * and the client-side query_timeout; without, only the connection wait is bounded (5 s).
 */
export function createDataSource(url: string, poolSize = 10, timeouts?: DbTimeouts): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    migrations,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    poolSize,
    extra: {
      application_name: "roster",
      Client: DiscardingClient,
      // Both the wait for a free pool slot and the opening of a new connection.
      connectionTimeoutMillis: timeouts?.connectMs ?? 5000,
      ...(timeouts
        ? { statement_timeout: timeouts.statementMs, lock_timeout: timeouts.lockMs, query_timeout: timeouts.queryMs }
        : {}),
    },
  });
}
