// An import as stored and as read back; the statements of imports.repository.ts and import-rows.repository.ts share it.
import type { ImportField, ImportOptions, ImportStatus, ImportView, RowResult } from "./import";

/** An import as stored (the view the doors present, plus what the worker needs). */
export interface ImportRecord extends ImportView {
  entityScope: string[] | null;
  cancelRequested: boolean;
  mappingFields: (ImportField | null)[];
  confirm: boolean;
}

export interface ClaimedRow {
  n: number;
  line: number;
  cells: string[];
}

/** A batch's claim: rows `next_n`..`upto` of the range ending at row `last`, and those of them still to do. */
export interface ClaimedBatch {
  last: number;
  upto: number;
  rows: ClaimedRow[];
}

export interface RowOutcome {
  n: number;
  result: RowResult;
  reason: string | null;
  userId: string | null;
}

/** A person (`users u`) no row of import $1 names: neither by one of their emails nor as the person a row matched. */
export const ABSENT = `NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = $1 AND r.email_key = ANY(roster_lower_values(u.emails)))
  AND NOT EXISTS (SELECT 1 FROM import_results r WHERE r.import_id = $1 AND r.user_id = u.id)`;

/** The counts kept per batch in `import_tallies` until `finish` folds them into the import's row (0157). */
const COUNTS = ["done", "created", "updated", "unchanged", "skipped", "failed"] as const;

/** An import as read: its own counts plus its batches' tallies not folded yet. Callers append WHERE/ORDER BY. */
export const SELECT = `SELECT id, status, mode, dry_run AS "dryRun", file_name AS "fileName", format, options, mapping, ignored,
  total, ${COUNTS.map((c) => `${c} + t_${c} AS ${c}`).join(", ")}, deactivated, error, cancel_requested AS "cancelRequested",
  actor_type, actor_id, actor_name, entity_scope AS "entityScope", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt"
  FROM imports CROSS JOIN LATERAL (SELECT ${COUNTS.map((c) => `coalesce(sum(x.${c}), 0)::int AS t_${c}`).join(", ")}
    FROM import_tallies x WHERE x.import_id = imports.id) t`;

/** `finish`'s fold: the tallies of the import locked in CTE `i`, deleted, and the SET that adds them to its row. */
export const FOLD_TALLIES = {
  cte: `t AS (DELETE FROM import_tallies WHERE import_id IN (SELECT id FROM i) RETURNING *)`,
  set: COUNTS.map((c) => `${c} = ${c} + (SELECT coalesce(sum(t.${c}), 0) FROM t)`).join(", "),
};

export interface Stored {
  id: string;
  status: ImportStatus;
  mode: ImportView["mode"];
  dryRun: boolean;
  fileName: string | null;
  format: "csv" | "xlsx";
  options: ImportOptions & { fields: (ImportField | null)[] };
  mapping: Record<string, ImportField>;
  ignored: string[];
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deactivated: number;
  error: string | null;
  cancelRequested: boolean;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  entityScope: string[] | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function toRecord(r: Stored): ImportRecord {
  const { mapping: _m, fields, mode: _mode, dryRun: _d, confirm, ...options } = r.options;
  const { total, created, updated, unchanged, skipped, failed } = r;
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    dryRun: r.dryRun,
    fileName: r.fileName,
    format: r.format,
    options: { ...options, confirm },
    mapping: r.mapping,
    ignoredColumns: r.ignored,
    counts: { total, created, updated, unchanged, skipped, failed },
    deactivated: r.deactivated,
    progress: { done: r.done, total, percent: total === 0 ? 0 : Math.floor((r.done * 100) / total) },
    error: r.error,
    startedBy: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    entityScope: r.entityScope,
    cancelRequested: r.cancelRequested,
    mappingFields: fields ?? [],
    confirm,
  };
}
