import type { DataSource } from "typeorm";
import { AuditSealer } from "../../src/domain/audit-log/audit-sealer";

/**
 * Runs SQL against the audit log (records and seals) with its append-only triggers disabled: what an operator with
 * DDL rights could do.
 */
export async function tamper(ds: DataSource, text: string, params: unknown[] = []): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
    await m.query("ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_insert_only");
    await m.query(text, params);
    await m.query("ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_insert_only");
    await m.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
  });
}

/** Seals every committed record now (what a reader, `verify` or the background loop does). */
export const sealAudits = (ds: DataSource): Promise<number> => new AuditSealer(ds).sealPending();

/**
 * Lets the sealer take its watermark now (a call sealing nothing, when caught up): the next call seals every record
 * committed before this one, once the transactions older than the mark have ended.
 */
export async function markAudits(ds: DataSource, opts: { ready?: boolean } = {}): Promise<void> {
  await ds.query("SELECT roster_audit_seal(0, true)");
  if (!opts.ready) return;
  // With `ready`, returns once the mark is sealable: no transaction older than it runs anywhere on the cluster (the
  // other jest workers' databases share it, and one of their transactions may still be open: a seal at once would then
  // seal nothing).
  for (const until = Date.now() + 10_000; Date.now() < until; ) {
    const [{ ready }] = await ds.query(
      "SELECT mark_xmax IS NULL OR pg_snapshot_xmin(pg_current_snapshot()) >= mark_xmax AS ready FROM audit_chain_head",
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("markAudits: a transaction older than the mark was still running after 10 s");
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
  /** Seal them (and anything else pending) before returning (default); false leaves them unsealed. */
  seal?: boolean;
}

/**
 * Appends `count` audit records in one statement and, unless `seal: false`, seals them; returns their ids (unsealed)
 * or their seqs (sealed), ascending.
 */
export async function appendAudits(ds: DataSource, count: number, r: RawAudit = {}): Promise<number[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO audit_events (at, actor_type, actor_id, actor_name, door, action, target_type, target_id, changes, request_id)
     SELECT coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7, $8, $9, $10::jsonb || jsonb_build_object('n', i), 'req-' || i
     FROM generate_series(1, $1::int) AS i ORDER BY i RETURNING id`,
    [
      count,
      r.at ?? null,
      r.actorType ?? "system",
      r.actorId ?? null,
      r.actorName ?? "seed",
      r.door ?? "system",
      r.action ?? "test.seeded",
      r.targetType ?? "user",
      r.targetId ?? null,
      JSON.stringify(r.changes ?? {}),
    ],
  );
  const ids = rows.map((x) => Number(x.id)).sort((a, b) => a - b);
  if (r.seal === false) return ids;
  await sealAudits(ds);
  const sealed: { seq: string }[] = await ds.query(
    "SELECT seq FROM audit_seals WHERE id = ANY($1::bigint[]) ORDER BY seq",
    [ids],
  );
  return sealed.map((x) => Number(x.seq));
}

/** Empties the audit log and resets its chain (other tables are kept). */
export async function resetAuditLog(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query("SET LOCAL session_replication_role = replica");
    await m.query("TRUNCATE audit_events, audit_seals RESTART IDENTITY");
    await m.query(
      "UPDATE audit_chain_head SET seq = 0, prev_hash = repeat('0', 64), hash = repeat('0', 64), sealed_through = 0, mark_through = NULL, mark_xmax = NULL",
    );
  });
}
