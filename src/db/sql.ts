import { createHash } from "node:crypto";
import type { Pool, PoolClient, QueryResultRow } from "pg";
import type { EntityManager } from "typeorm";

/** How many distinct statement texts get a server-side prepared statement (per connection). Beyond: unnamed. */
const MAX_PREPARED = 256;
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED) {
    name = `r${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one parameterised statement on the manager's connection (its transaction, if any), as a named
 * prepared statement: PostgreSQL plans each distinct text once per connection instead of per call.
 * The hot paths (lookups, pages, writes) use this rather than TypeORM's query(), which cannot name statements.
 */
export async function sql<T extends object>(m: EntityManager, text: string, values: unknown[] = []): Promise<T[]> {
  const runner = m.queryRunner as unknown as { connect(): Promise<PoolClient> } | undefined;
  const target: Pool | PoolClient = runner
    ? await runner.connect()
    : (m.connection.driver as unknown as { master: Pool }).master;
  const result = await target.query<T & QueryResultRow>({ name: statementName(text), text, values });
  return result.rows;
}
