import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { SqlWhere } from "./users.repository";

/**
 * Reading the maintained tallies of live users (migration 1764000000130, decision 0135): exact for the reader's snapshot,
 * since each change appends its deltas in its own transaction. Levels: 0 all, 1 by `active`, 2/3/4 by creation
 * day/hour/minute.
 */

/** The tally that answers a list's total without counting, when the filter is one the tallies keep; else null. */
export function tallyFor(where: SqlWhere | undefined): { level: 0 | 1; bucket: number } | null {
  if (!where) return { level: 0, bucket: 0 };
  // What the SCIM filter `active eq true|false` compiles to (held by test/integration/user-list-tallies.test.ts).
  if (where.sql === "u.active = $1" && typeof where.params[0] === "boolean") {
    return { level: 1, bucket: where.params[0] ? 1 : 0 };
  }
  return null;
}

export async function tallied(m: EntityManager, t: { level: number; bucket: number }): Promise<number> {
  const [row] = await sql<{ n: string | null }>(
    m,
    "SELECT sum(n) AS n FROM user_tallies WHERE level = $1 AND bucket = $2",
    [t.level, t.bucket],
  );
  return Number(row?.n ?? 0);
}

/**
 * Where the live user at 0-based `position` of the default order (created_at, id) is: the start of its creation minute
 * and how many live users of the list come before it from that minute on. Found from the day, hour and minute tallies,
 * so a deep page walks at most one minute of rows. Null when the position is past the end.
 */
export async function seekPosition(
  m: EntityManager,
  position: number,
): Promise<{ minuteStart: number; skip: number } | null> {
  // At each level: the buckets inside the one chosen above, the running total before each, and the bucket holding the
  // position. A child level's bucket range is its parent's bucket times the ratio of their widths.
  const step = (level: number, from: string, to: string, before: string) => `
    SELECT y.bucket, ${before} + y.before AS before FROM (
      SELECT bucket, (sum(s) OVER (ORDER BY bucket)) - s AS before, s FROM (
        SELECT bucket, sum(n) AS s FROM user_tallies WHERE level = ${level} AND bucket >= ${from} AND bucket < ${to}
        GROUP BY bucket) x) y
    WHERE ${before} + y.before <= $1 AND $1 < ${before} + y.before + y.s
    ORDER BY y.bucket LIMIT 1`;
  const [row] = await sql<{ bucket: string; before: string }>(
    m,
    `WITH d AS (${step(2, "-9223372036854775807", "9223372036854775807", "0")}),
          h AS (${step(3, "(SELECT bucket FROM d) * 24", "(SELECT bucket FROM d) * 24 + 24", "(SELECT before FROM d)")}),
          mi AS (${step(4, "(SELECT bucket FROM h) * 60", "(SELECT bucket FROM h) * 60 + 60", "(SELECT before FROM h)")})
     SELECT bucket, before FROM mi`,
    [position],
  );
  if (!row) return null;
  return { minuteStart: Number(row.bucket) * 60, skip: position - Number(row.before) };
}

/**
 * Folds the deltas appended since the last fold into one row per tally, in one statement, so reads stay short. Safe
 * beside writers (they only insert) and beside another replica's fold (a delta row is deleted once; the folded row is
 * upserted). Returns how many delta rows it folded.
 */
export async function foldTallies(m: EntityManager, batch = 50_000): Promise<number> {
  const [row] = await sql<{ folded: string }>(
    m,
    `WITH d AS (
       DELETE FROM user_tallies WHERE ctid = ANY(ARRAY(SELECT ctid FROM user_tallies WHERE NOT folded LIMIT $1))
       RETURNING level, bucket, n),
     f AS (
       INSERT INTO user_tallies (level, bucket, n, folded)
       SELECT level, bucket, sum(n), true FROM d GROUP BY level, bucket
       ON CONFLICT (level, bucket) WHERE folded DO UPDATE SET n = user_tallies.n + EXCLUDED.n)
     SELECT count(*) AS folded FROM d`,
    [batch],
  );
  return Number(row?.folded ?? 0);
}
