import type { Door, TxCtx } from "../context";

export type JobKind = "users.action";
export type JobStatus = "queued" | "running" | "done";
/** What became of one user of a job (or of a synchronous mass action). */
export type ItemOutcome = "done" | "skipped" | "failed" | "not_found";

export interface ItemResult {
  outcome: ItemOutcome;
  /** A stable code saying why, for skipped and failed (e.g. `already_joined`). */
  reason?: string;
}

/** An admin_jobs row: what to do, who asked (their actor and entity scope at the time), and where it stands. */
export interface JobRow {
  id: string;
  kind: JobKind;
  action: string;
  status: JobStatus;
  total: number;
  selection: Record<string, unknown>;
  actorType: "token" | "user" | "system";
  actorId: string | null;
  actorName: string | null;
  requestId: string | null;
  /** The door the job came through (admin, console...): its changes are audited as coming through it. */
  door: Door;
  entityScope: string[] | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface JobCounts {
  done: number;
  skipped: number;
  failed: number;
  notFound: number;
  pending: number;
}

export type JobView = Omit<JobRow, "actorType" | "actorId" | "actorName" | "requestId" | "entityScope" | "door"> &
  JobCounts & {
    requestedBy: string | null;
  };

export interface JobItem {
  seq: number;
  userId: string;
  outcome: ItemOutcome | null;
  reason: string | null;
  processedAt: Date | null;
}

/** Applies a job's work to one user inside the transaction that also records the item's outcome. */
export type JobHandler = (tx: TxCtx, job: JobRow, userId: string) => Promise<ItemResult>;
export type JobHandlers = Record<JobKind, JobHandler>;
