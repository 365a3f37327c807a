import type { SystemRole } from "../users/user";

export type ImportMode = "upsert" | "create-only" | "sync";
export const IMPORT_MODES: readonly ImportMode[] = ["upsert", "create-only", "sync"];
export type ImportStatus = "receiving" | "staged" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** The profile fields a column can be mapped to (the template's columns, in this order). */
export const IMPORT_FIELDS = [
  "email",
  "givenName",
  "familyName",
  "userName",
  "language",
  "phone",
  "title",
  "department",
  "employeeNumber",
  "groups",
  "external",
  "password",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** What the admin chose for the whole file. */
export interface ImportOptions {
  mode: ImportMode;
  dryRun: boolean;
  /** Column label -> field (or null: ignore the column); labels not named are matched by their wording. */
  mapping: Record<string, ImportField | null>;
  /** now: new people are invited with their creation (through the outbox); later: an admin invites them afterwards. */
  invite: "now" | "later";
  language: string | null;
  role: SystemRole;
  entityId: string | null;
  groupIds: string[];
  /** sync only: go ahead although more than SYNC_MAX_DEACTIVATE_PERCENT of the entity's people would be deactivated. */
  confirm: boolean;
}

/** What a row came to. */
export type RowResult = "created" | "updated" | "unchanged" | "skipped" | "failed" | "duplicate" | "deactivated";

export interface ImportCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface ImportView {
  id: string;
  status: Exclude<ImportStatus, "receiving"> | "receiving";
  mode: ImportMode;
  dryRun: boolean;
  fileName: string | null;
  format: "csv" | "xlsx";
  options: Omit<ImportOptions, "mode" | "dryRun" | "mapping">;
  /** The mapping used: each column label of the file and the field it was read as. */
  mapping: Record<string, ImportField>;
  /** Columns no field was found for: ignored. */
  ignoredColumns: string[];
  counts: ImportCounts;
  /** sync: people of the entity absent from the file, deactivated (or, in a dry run, that would be). */
  deactivated: number;
  progress: { done: number; total: number; percent: number };
  error: string | null;
  startedBy: { type: string; id: string | null; name: string | null };
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** One line of a file, as a reader gives it: its cells and the line it starts on. */
export interface TableRow {
  cells: string[];
  line: number;
}
