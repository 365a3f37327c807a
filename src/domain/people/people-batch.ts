import { Ctx } from "../context";
import { ConflictError, InvalidError, RefusedError } from "../errors";
import { assertAccountChange, normaliseAccount } from "../users/account.rules";
import { SystemRole } from "../users/user";
import { checkLanguage, namesFromEmail } from "./manual-policy.rules";
import { PeopleService } from "./people.service";

/** One line of a batch: an email, with names (else read from a first.last address) and a userName if wanted. */
export interface BatchLine {
  /** Its number in the request as the caller counts it (text lines skip blanks); default: its position. */
  line?: number;
  email: string;
  givenName?: string;
  familyName?: string;
  userName?: string;
}

/** Settings every line of a batch shares. */
export interface BatchSettings {
  language?: string | null;
  role?: SystemRole;
  adminScope?: string[];
  entityId?: string | null;
  external?: boolean;
  invite?: boolean;
}

export type BatchStatus = "created" | "exists" | "invalid" | "duplicate";

export interface BatchResult {
  /** 1-based position in the request. */
  line: number;
  email: string;
  status: BatchStatus;
  id?: string;
  userName?: string;
  code?: string;
  field?: string;
  detail?: string;
  /** For a duplicate: the line that already had this email. */
  duplicateOf?: number;
}

/**
 * Creates people from a list of emails with shared settings: each line is its own create (its own transaction), so valid
 * lines are created whatever happens to the others. Settings wrong for every line (SSO-only, a role or entity outside
 * the actor's scope, a bad language) refuse the whole batch before any line is written.
 */
export async function createBatch(people: PeopleService, ctx: Ctx, lines: BatchLine[], shared: BatchSettings): Promise<BatchResult[]> {
  people.assertManualCreation();
  checkLanguage(shared.language ?? null);
  assertAccountChange(ctx, null, normaliseAccount({
    entityId: shared.entityId ?? null, systemRole: shared.role ?? "member", adminScope: shared.adminScope ?? [], external: shared.external ?? false,
  }));
  const seen = new Map<string, number>();
  const results: BatchResult[] = [];
  for (const [i, line] of lines.entries()) {
    const n = line.line ?? i + 1;
    const email = line.email.trim();
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      results.push({ line: n, email, status: "duplicate", duplicateOf: first, detail: `the same email as line ${first}` });
      continue;
    }
    seen.set(key, n);
    results.push(await createLine(people, ctx, n, email, line, shared));
  }
  return results;
}

async function createLine(people: PeopleService, ctx: Ctx, n: number, email: string, line: BatchLine, shared: BatchSettings): Promise<BatchResult> {
  if (await people.emailInUse(email)) return { line: n, email, status: "exists", code: "email_taken", field: "email", detail: `email '${email}' already belongs to another person` };
  const derived = line.givenName === undefined && line.familyName === undefined ? namesFromEmail(email) : null;
  try {
    const { user } = await people.create(ctx, { ...shared, email, userName: line.userName, givenName: line.givenName ?? derived?.givenName, familyName: line.familyName ?? derived?.familyName });
    return { line: n, email, status: "created", id: user.id, userName: user.userName };
  } catch (e) {
    if (e instanceof ConflictError) return { line: n, email, status: "exists", code: `${e.field}_taken`, field: e.field, detail: e.message };
    if (e instanceof InvalidError) {
      const hint = !derived && !line.givenName && (e.field === "givenName" || e.field === "familyName") ? " (names are read from first.last@… addresses; give them otherwise)" : "";
      return { line: n, email, status: "invalid", code: "invalid_value", field: e.field, detail: e.message + hint };
    }
    if (e instanceof RefusedError) return { line: n, email, status: "invalid", code: e.code, field: e.field, detail: e.message };
    throw e;
  }
}
