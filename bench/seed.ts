import type { Pool } from "pg";

export interface Seeded {
  ids: string[];
  userNames: string[];
  /** Seconds spent in the INSERTs, and in the ANALYZE after them. */
  insertSeconds: number;
  analyzeSeconds: number;
}

const BATCH = 1000;

/** Seeds `n` SCIM users straight into `users` with multi-row INSERTs (no audit or outbox rows: this is set-up, not a workload). */
export async function seedUsers(pool: Pool, n: number, runId: string): Promise<Seeded> {
  const ids: string[] = [];
  const userNames: string[] = [];
  const started = process.hrtime.bigint();
  for (let from = 0; from < n; from += BATCH) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const userName = `u${i}.${runId}@bench.example`;
      const p = params.length;
      values.push(`($${p + 1}, 'scim', $${p + 2}::jsonb, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`);
      params.push(
        userName,
        JSON.stringify([{ value: userName, type: "work", primary: true }]),
        `ext-u${i}-${runId}`,
        "Bench",
        `Seeded${i}`,
        `Bench Seeded${i}`,
      );
    }
    const { rows } = await pool.query<{ id: string; user_name: string }>(
      `INSERT INTO users (user_name, source, emails, external_id, given_name, family_name, display_name) VALUES ${values.join(", ")} RETURNING id, user_name`,
      params,
    );
    for (const r of rows) {
      ids.push(r.id);
      userNames.push(r.user_name);
    }
  }
  const inserted = process.hrtime.bigint();
  // Autovacuum would gather these statistics on its own a little later; without them the first plans are guesses.
  // As autovacuum would after a bulk load: statistics, and a visibility map for index-only scans.
  await pool.query("VACUUM ANALYZE users");
  const analyzed = process.hrtime.bigint();
  return {
    ids,
    userNames,
    insertSeconds: Number(inserted - started) / 1e9,
    analyzeSeconds: Number(analyzed - inserted) / 1e9,
  };
}
