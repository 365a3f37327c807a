import { Client } from "pg";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";

/** URL of a database of this jest worker's own (created and migrated on first use). */
export async function workerDatabaseUrl(suffix = ""): Promise<string> {
  const base = process.env.ROSTER_TEST_PG_URL;
  if (!base)
    throw new Error("ROSTER_TEST_PG_URL is not set: run the tests through jest (its globalSetup starts PostgreSQL)");
  const name = `roster_test_w${process.env.JEST_WORKER_ID ?? "0"}${suffix}`;
  const admin = new Client({ connectionString: withDatabase(base, "postgres") });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(base, name);
}

export async function openTestDataSource(suffix = ""): Promise<DataSource> {
  const ds = createDataSource(await workerDatabaseUrl(suffix), 10);
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  return ds;
}

/** Empties every table a test writes, so each file starts from a known state. */
export async function resetDatabase(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    // The audit log refuses TRUNCATE through ordinary triggers, which a replica-role session does not fire.
    await m.query("SET LOCAL session_replication_role = replica");
    await m.query(
      "TRUNCATE sso_login_states, sso_links, sso_connections, signup_links, rate_limit_hits, invitations, settings, group_members, groups, users, user_tallies, audit_events, audit_seals, outbox, api_tokens, entities, admin_jobs, admin_job_items, oidc_payloads, oidc_keys, oidc_clients, events, webhooks, webhook_deliveries, console_sessions, imports, import_rows, import_results, import_ranges, import_tallies RESTART IDENTITY",
    );
    await m.query("UPDATE webhook_dispatch SET after_xid = '0', after_seq = 0");
    await m.query(
      "UPDATE audit_chain_head SET seq = 0, prev_hash = repeat('0', 64), hash = repeat('0', 64), sealed_through = 0, mark_through = NULL, mark_xmax = NULL",
    );
  });
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
