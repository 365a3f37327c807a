import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";

/**
 * Whether the planner's statistics on `users` describe a much smaller table than there is now: never analysed (or
 * analysed empty) and already a few pages, or grown past ten times the pages it was analysed at. A fresh store filled by
 * an import is the case (decision 0150): until autovacuum's first ANALYZE (up to a minute, longer under load) the
 * planner takes the live users for two rows and checks a batch's 500 addresses by reading every user per address (3 s a
 * batch at 4,500 people, 12 s at 10,000); after it, the same statement is 500 index probes (3-9 ms). Later growth keeps
 * the plans (the planner scales the analysed density by the current size), so the tenfold rule is a safety net that runs
 * a few times for a whole file (each ANALYZE samples 30,000 rows: 0.1-0.4 s). `pg_relation_size` reads the file's size.
 */
const OUTGROWN = `SELECT pg_relation_size(c.oid) / current_setting('block_size')::int >= 8
    AND (c.reltuples <= 0 OR c.relpages * 10 < pg_relation_size(c.oid) / current_setting('block_size')::int) AS outgrown
  FROM pg_class c WHERE c.oid = 'users'::regclass`;

/** Runs ANALYZE on `users` when its statistics are outgrown (above); whether it did. */
export async function analyzeUsersIfOutgrown(m: EntityManager): Promise<boolean> {
  const rows = await sql<{ outgrown: boolean }>(m, OUTGROWN);
  if (!rows[0]?.outgrown) return false;
  await sql(m, "ANALYZE users");
  return true;
}
