import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** The module owning each table: the only folder whose SQL may name it (docs/ARCHITECTURE.md, "One owner per table"). */
export const OWNERS: Record<string, string> = {
  users: "src/domain/users",
  user_tallies: "src/domain/users",
  groups: "src/domain/groups",
  group_members: "src/domain/groups",
  entities: "src/domain/entities",
  invitations: "src/domain/invitations",
  admin_jobs: "src/domain/jobs",
  admin_job_items: "src/domain/jobs",
  api_tokens: "src/domain/tokens",
  settings: "src/domain/settings",
  audit_events: "src/domain/audit-log",
  audit_chain_head: "src/domain/audit-log",
  audit_seals: "src/domain/audit-log",
  outbox: "src/domain/outbox",
  rate_limit_hits: "src/domain/auth",
  oidc_payloads: "src/domain/oidc",
  oidc_keys: "src/domain/oidc",
  oidc_clients: "src/domain/oidc",
  events: "src/domain/events",
  webhooks: "src/domain/webhooks",
  webhook_deliveries: "src/domain/webhooks",
  webhook_dispatch: "src/domain/webhooks",
  sso_connections: "src/domain/sso",
  sso_links: "src/domain/sso",
  sso_login_states: "src/domain/sso",
  signup_links: "src/domain/sso",
  imports: "src/domain/imports",
  import_rows: "src/domain/imports",
  import_results: "src/domain/imports",
  import_ranges: "src/domain/imports",
  import_tallies: "src/domain/imports",
  console_sessions: "src/domain/console",
};

export interface Violation {
  file: string;
  line: number;
  table: string;
  text: string;
}

/** Names of the tables and views the migrations create. */
export function tablesOf(migrationsSource: string): string[] {
  const names = migrationsSource.matchAll(
    /CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNLOGGED\s+)?(?:MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)/g,
  );
  return [...new Set([...names].map((m) => m[1]))].sort();
}

/**
 * SQL in `source` naming one of `tables` where `file` is not the table's owner: FROM/JOIN/INTO/UPDATE/TABLE/USING
 * (so DELETE FROM too) followed by the table's name, or a SCIM filter relation's `from: "<table> ..."`.
 * Keywords are matched in upper case, as every statement here writes them (prose says "from").
 */
export function violations(
  file: string,
  source: string,
  tables: string[],
  owners: Record<string, string> = OWNERS,
): Violation[] {
  const found: Violation[] = [];
  const names = tables.join("|");
  const pattern = new RegExp(`(?:\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\\s+|\\bfrom:\\s*["'\`])"?(${names})\\b`, "g");
  for (const m of source.matchAll(pattern)) {
    const table = m[1];
    const owner = owners[table];
    if (owner !== undefined && isWithin(file, owner)) continue;
    const line = source.slice(0, m.index).split("\n").length;
    found.push({ file, line, table, text: source.split("\n")[line - 1].trim() });
  }
  return found;
}

const isWithin = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/** Every .ts file under `dir`, as paths relative to `root` with forward slashes. */
export function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...tsFiles(root, path));
    else if (name.endsWith(".ts")) out.push(relative(".", path).split(sep).join("/"));
  }
  return out.sort();
}

/** The violations of the whole tree under `root` (its migrations/ list the tables, its src/ is checked). */
export function treeViolations(root: string): { tables: string[]; violations: Violation[] } {
  const migrations = tsFiles(root, "migrations")
    .map((f) => readFileSync(join(root, f), "utf8"))
    .join("\n");
  const tables = tablesOf(migrations);
  const all = tsFiles(root, "src").flatMap((f) => violations(f, readFileSync(join(root, f), "utf8"), tables));
  return { tables, violations: all };
}
