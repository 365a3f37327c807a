import type { TxCtx } from "../context";
import { ConflictError, DomainError, InvalidError, NotFoundError, RefusedError } from "../errors";
import type { CredentialsService } from "../auth/credentials.service";
import type { PeopleService } from "../people/people.service";
import type { PersonChanges } from "../people/person";
import { savepointIn } from "../unit-of-work";
import type { UsersService } from "../users/users.service";
import type { ImportOptions, RowResult } from "./import";
import { type RowInput, readRow } from "./import-row.rules";
import type { ClaimedRow, RowOutcome } from "./imports.repository";
import type { ImportField } from "./import";

export interface RowContext {
  options: ImportOptions;
  fields: (ImportField | null)[];
}

/**
 * One row applied inside its batch's transaction, in a savepoint: a row that fails is rolled back alone and reported,
 * the others commit. A dry run applies each row the same way and always rolls it back: every check the real import
 * makes, and nothing kept (no person, no audit record, no invitation in the outbox).
 */
export class RowApplier {
  constructor(
    private readonly users: UsersService,
    private readonly people: PeopleService,
    private readonly credentials: CredentialsService,
  ) {}

  async apply(tx: TxCtx, r: RowContext, row: ClaimedRow): Promise<RowOutcome> {
    try {
      const input = readRow(row.cells, r.fields);
      return await savepointIn(tx, !r.options.dryRun, async () => {
        const { result, userId, reason } = await this.applyInput(tx, r.options, input);
        return { n: row.n, result, userId, reason };
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === "unavailable") throw e;
      return { n: row.n, result: "failed", userId: null, reason: reasonOf(e) };
    }
  }

  private async applyInput(
    tx: TxCtx,
    o: ImportOptions,
    input: RowInput,
  ): Promise<{ result: RowResult; userId: string | null; reason: string | null }> {
    const { byEmail, byUserName } = await this.users.matchIn(tx, input.email, input.userName ?? null);
    if (byEmail && byUserName && byEmail !== byUserName) {
      throw new ConflictError(
        "userName",
        `the email names one person and the userName '${input.userName}' another: nothing changed`,
      );
    }
    const existing = byEmail ?? byUserName;
    if (existing) {
      if (o.mode === "create-only") return { result: "skipped", userId: existing, reason: "exists (create-only)" };
      const { changed } = await this.people.changeIn(tx, existing, changesOf(input));
      return { result: changed ? "updated" : "unchanged", userId: existing, reason: null };
    }
    const user = await this.people.importIn(
      tx,
      {
        email: input.email,
        userName: input.userName,
        givenName: input.givenName,
        familyName: input.familyName,
        namesAtJoining: true,
        language: input.language ?? o.language,
        role: o.role,
        entityId: o.entityId,
        external: input.external ?? false,
        invite: o.invite === "now",
        details: {
          title: input.title,
          department: input.department,
          phone: input.phone,
          employeeNumber: input.employeeNumber,
        },
      },
      [...new Set([...o.groupIds, ...(input.groups ?? [])])],
    );
    if (input.password) await this.credentials.setOneTimePasswordIn(tx, user.id, input.password);
    return { result: "created", userId: user.id, reason: null };
  }
}

/** An existing person's changes: only what the row gives (an empty cell changes nothing). */
function changesOf(input: RowInput): PersonChanges {
  const c: PersonChanges = { email: input.email };
  for (const f of [
    "givenName",
    "familyName",
    "userName",
    "language",
    "title",
    "department",
    "phone",
    "employeeNumber",
  ] as const)
    if (input[f] !== undefined) c[f] = input[f];
  if (input.external !== undefined) c.external = input.external;
  return c;
}

/** The report's reason: the field and why, or the refusal's code and message. */
function reasonOf(e: DomainError): string {
  if (e instanceof InvalidError) return `${e.field}: ${e.reason}`;
  if (e instanceof RefusedError) return `${e.code}: ${e.message}`;
  if (e instanceof ConflictError) return `${e.field}_taken: ${e.message}`;
  if (e instanceof NotFoundError) return `not_found: ${e.message}`;
  return `${e.code}: ${e.message}`;
}
