import { DataSource } from "typeorm";

/** Runs SQL against the audit log with its append-only trigger disabled: what an operator with DDL rights could do. */
export async function tamper(ds: DataSource, text: string, params: unknown[] = []): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
    await m.query(text, params);
    await m.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
  });
}

export interface RawAudit {
  at?: string;
  actorType?: string;
  actorId?: string | null;
  actorName?: string | null;
  door?: string;
  action?: string;
  targetType?: string;
  targetId?: string | null;
  changes?: Record<string, unknown>;
}

/** Appends `count` audit records in one statement (the chain trigger numbers and hashes them); returns their seqs. */
export async function appendAudits(ds: DataSource, count: number, r: RawAudit = {}): Promise<number[]> {
  const rows: { seq: string }[] = await ds.query(
    `INSERT INTO audit_events (at, actor_type, actor_id, actor_name, door, action, target_type, target_id, changes, request_id)
     SELECT coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7, $8, $9, $10::jsonb || jsonb_build_object('n', i), 'req-' || i
     FROM generate_series(1, $1::int) AS i ORDER BY i RETURNING seq`,
    [count, r.at ?? null, r.actorType ?? "system", r.actorId ?? null, r.actorName ?? "seed", r.door ?? "system",
      r.action ?? "test.seeded", r.targetType ?? "user", r.targetId ?? null, JSON.stringify(r.changes ?? {})],
  );
  return rows.map((x) => Number(x.seq)).sort((a, b) => a - b);
}

/** Empties the audit log and resets its chain (other tables are kept). */
export async function resetAuditLog(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query("SET LOCAL session_replication_role = replica");
    await m.query("TRUNCATE audit_events RESTART IDENTITY");
    await m.query("UPDATE audit_chain_head SET seq = 0, prev_hash = repeat('0', 64), hash = repeat('0', 64)");
  });
}
