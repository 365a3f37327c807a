import type { Ctx } from "../context";
import { ConflictError, InvalidError, RefusedError } from "../errors";
import { assertAccountChange, normaliseAccount } from "../users/account.rules";
import { checkLanguage, namesFromEmail } from "./manual-policy.rules";
import type { PeopleService } from "./people.service";
import type { NewPerson } from "./person";

/**
 * One line of a batch: an email, with names (else read from a first.last address, else left for the person to give
 * when joining) and a userName if wanted.
 */
export interface BatchLine {
  /** Its number in the request as the caller counts it (text lines skip blanks); default: its position. */
  line?: number;
  email: string;
  givenName?: string;
  familyName?: string;
  userName?: string;
}

/** Settings every line of a batch shares: a person's settings, without the per-line identity. */
export type BatchSettings = Omit<NewPerson, "email" | "userName" | "givenName" | "familyName">;

/** Lines created at once (each is its own transaction; the pool has more connections than this). */
const PARALLEL_LINES = 4;

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
 * the actor's scope, a bad language, a group that does not exist) refuse the whole batch before any line is written.
 */
export async function createBatch(
  people: PeopleService,
  ctx: Ctx,
  lines: BatchLine[],
  shared: BatchSettings,
): Promise<BatchResult[]> {
  people.assertManualCreation();
  checkLanguage(shared.language ?? null);
  assertAccountChange(
    ctx,
    null,
    normaliseAccount({
      entityId: shared.entityId ?? null,
      systemRole: shared.role ?? "member",
      adminScope: shared.adminScope ?? [],
      external: shared.external ?? false,
    }),
  );
  if (shared.groups?.length) await people.assertGroups(shared.groups);
  const seen = new Map<string, number>();
  const results: (BatchResult | null)[] = [];
  const todo: { at: number; n: number; email: string; line: BatchLine }[] = [];
  for (const [i, line] of lines.entries()) {
    const n = line.line ?? i + 1;
    const email = line.email.trim();
    const first = seen.get(email.toLowerCase());
    if (first !== undefined) {
      results.push({
        line: n,
        email,
        status: "duplicate",
        duplicateOf: first,
        detail: `the same email as line ${first}`,
      });
      continue;
    }
    seen.set(email.toLowerCase(), n);
    todo.push({ at: results.length, n, email, line });
    results.push(null);
  }
  // Lines are independent once duplicates are out (each create is its own transaction): a few run at once.
  let next = 0;
  const worker = async () => {
    for (let job = todo[next++]; job; job = todo[next++])
      results[job.at] = await createLine(people, ctx, job.n, job.email, job.line, shared);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LINES, todo.length) }, worker));
  return results as BatchResult[];
}

async function createLine(
  people: PeopleService,
  ctx: Ctx,
  n: number,
  email: string,
  line: BatchLine,
  shared: BatchSettings,
): Promise<BatchResult> {
  const derived = line.givenName === undefined && line.familyName === undefined ? namesFromEmail(email) : null;
  const create = (names: { givenName?: string; familyName?: string } | null) =>
    people.create(ctx, {
      ...shared,
      email,
      userName: line.userName,
      givenName: line.givenName ?? names?.givenName,
      familyName: line.familyName ?? names?.familyName,
      // A pasted address names nobody: the person gives their names when joining (the invitation page asks).
      namesAtJoining: true,
    });
  try {
    // Names read from the address that the policy refuses (`jo.li@`: too short) are not the admin's: left for joining.
    const { user } = await create(derived).catch((e) => {
      if (derived && e instanceof InvalidError && (e.field === "givenName" || e.field === "familyName"))
        return create(null);
      throw e;
    });
    return { line: n, email, status: "created", id: user.id, userName: user.userName };
  } catch (e) {
    if (e instanceof ConflictError)
      return { line: n, email, status: "exists", code: `${e.field}_taken`, field: e.field, detail: e.message };
    // A line whose email is taken exists, whatever else is wrong with it.
    if (
      (e instanceof InvalidError || e instanceof RefusedError) &&
      e.field !== "email" &&
      (await people.emailInUse(email))
    ) {
      return {
        line: n,
        email,
        status: "exists",
        code: "email_taken",
        field: "email",
        detail: `email '${email}' already belongs to another person`,
      };
    }
    if (e instanceof InvalidError)
      return { line: n, email, status: "invalid", code: "invalid_value", field: e.field, detail: e.message };
    if (e instanceof RefusedError)
      return { line: n, email, status: "invalid", code: e.code, field: e.field, detail: e.message };
    throw e;
  }
}
