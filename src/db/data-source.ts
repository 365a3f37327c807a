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
import { ApiTokenRow } from "./entities/api-token.entity";
import { AuditEventRow } from "./entities/audit-event.entity";
import { OutboxMessageRow } from "./entities/outbox-message.entity";

export const entities = [ApiTokenRow, AuditEventRow, OutboxMessageRow];
/** Listed explicitly (no globs) so the same list works from src/ under tsx and from dist/. */
export const migrations = [
  InitialSchema1764000000000, UsersAutovacuum1764000000001, EmailValuesIndex1764000000002, AdminFoundation1764000000003,
  PeopleIndexes1764000000004, AdminSearch1764000000006, AdminJobs1764000000007, AuditChain1764000000008,
  AuditFilterIndexes1764000000009, Groups1764000000010, AuditSealAfterCommit1764000000011,
  InvitationsWorker1764000000012, RateLimits1764000000013,
];

/** A TypeORM DataSource on `url`; schema changes come only from migrations, never `synchronize`. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities,
    migrations,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5000, application_name: "roster" },
  });
}
