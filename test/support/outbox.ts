import type { DataSource } from "typeorm";

/** `n` outbox jobs of `topic` written directly (payload `{n}`), as a change would; returns their ids in order. */
export async function enqueueJobs(ds: DataSource, topic: string, n: number): Promise<string[]> {
  const rows = await ds.query(
    `INSERT INTO outbox (topic, payload) SELECT $1, jsonb_build_object('n', g) FROM generate_series(1, $2::int) g RETURNING id::text`,
    [topic, n],
  );
  return rows.map((r: { id: string }) => r.id);
}
