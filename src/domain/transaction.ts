import { DataSource } from "typeorm";
import { Ctx, TxCtx } from "./context";
import { ConflictError, DomainError, InvalidError, UnavailableError } from "./errors";

/** Unique indexes and the field they protect, for ConflictError messages. */
const uniqueFields: Record<string, string> = {
  users_user_name_lower_key: "userName",
  groups_display_name_lower_key: "displayName",
  api_tokens_live_name_key: "name",
  entities_sibling_name_key: "name",
  entities_external_key_key: "externalKey",
};

/** Foreign keys and the field naming the row they point at, for InvalidError messages (the row vanished or never was). */
const referenceFields: Record<string, string> = {
  users_entity_id_fkey: "entityId",
  entities_parent_id_fkey: "parentId",
};

/** The one place a transaction opens. Audit and outbox rows written through `tx` commit or roll back with the change. */
export async function inTransaction<T>(ds: DataSource, ctx: Ctx, fn: (tx: TxCtx) => Promise<T>): Promise<T> {
  try {
    return await ds.transaction((manager) => fn({ ...ctx, manager }));
  } catch (e) {
    throw translateDbError(e);
  }
}

/** Read-only work outside a transaction still gets the same error translation. */
export async function withDb<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateDbError(e);
  }
}

function translateDbError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.driverError?.code ?? err.code;
  const constraint = err.driverError?.constraint ?? err.constraint;
  if (code === "23505") {
    const field = uniqueFields[constraint ?? ""] ?? "value";
    return new ConflictError(field, `${field} is already taken`);
  }
  if (code === "23503" && referenceFields[constraint ?? ""]) return new InvalidError(referenceFields[constraint!], "names nothing that exists");
  // Text the database cannot store (a NUL byte, an invalid sequence) is bad input, not a server fault.
  if (code === "22021" || code === "22P05") return new InvalidError("value", "contains characters that cannot be stored");
  if (isOutage(code, e)) return new UnavailableError("the database is unavailable");
  // A statement or lock wait past DB_STATEMENT_TIMEOUT_MS / DB_LOCK_TIMEOUT_MS: the database is too busy now, try later.
  if (code === "57014" || code === "55P03") return new UnavailableError("the database did not answer in time");
  return e;
}

const outageCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300"]);

function isOutage(code: string | undefined, e: unknown): boolean {
  if (code && (outageCodes.has(code) || code.startsWith("08"))) return true;
  const message = e instanceof Error ? e.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client was closed and is not queryable|Client has encountered a connection error|the database system is (shutting down|starting up)/i.test(message);
}
