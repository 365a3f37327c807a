import type { TxCtx } from "../context";
import { ConflictError, DomainError, InvalidError, NotFoundError, RefusedError } from "../errors";
import type { CredentialsService } from "../auth/credentials.service";
import type { PeopleService } from "../people/people.service";
import type { NewPerson, PersonChanges } from "../people/person";
import { savepointIn } from "../unit-of-work";
import type { UsersService } from "../users/users.service";
import type { ImportOptions, RowResult } from "./import";
import { type RowInput, leavesUnchanged, readRow } from "./import-row.rules";
import type { ClaimedRow, RowOutcome } from "./imports.repository";
import type { ImportField } from "./import";

export interface RowContext {
  options: ImportOptions;
  fields: (ImportField | null)[];
  /** The batch's group names (lower-cased) -> ids, read once for the batch by applyAll. */
  groupsByName?: Map<string, string>;
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

  /**
   * A batch's rows in file order. The people the batch names are read first in one statement: a row for an existing
   * person that would change nothing is `unchanged` (in create-only: `skipped`) without a savepoint, a lock or a write;
   * every other row goes through `apply`, which looks again inside the transaction.
   */
  async applyAll(tx: TxCtx, r: RowContext, rows: ClaimedRow[]): Promise<RowOutcome[]> {
    const inputs = rows.map((row) => {
      try {
        return readRow(row.cells, r.fields);
      } catch {
        return null; // reported by apply, with its reason
      }
    });
    const given = inputs.filter((i): i is RowInput => i !== null);
    const known = await this.users.liveMatching(
      given.map((i) => i.email),
      given.flatMap((i) => (i.userName ? [i.userName] : [])),
    );
    const byEmail = new Map(known.flatMap((u) => u.emails.map((e) => [String(e.value).toLowerCase(), u] as const)));
    const byName = new Map(known.map((u) => [u.userName.toLowerCase(), u]));
    // Every group name the batch's rows give, read in one statement rather than one per row.
    const names = [...new Set(given.flatMap((i) => i.groupNames ?? []))];
    if (names.length > 0) r = { ...r, groupsByName: await this.people.groupIdsByName(names) };
    const created = await this.createNew(tx, r, inputs, byEmail, byName);
    const outcomes: RowOutcome[] = [];
    // People an earlier row of this batch wrote: what was read before may be stale for them.
    const touched = new Set<string>();
    for (const [i, row] of rows.entries()) {
      const input = inputs[i];
      const holder = input && byEmail.get(input.email.toLowerCase());
      const named = input?.userName ? byName.get(input.userName.toLowerCase()) : undefined;
      if (input && holder && !touched.has(holder.id) && (named === undefined || named.id === holder.id)) {
        if (r.options.mode === "create-only") {
          outcomes.push({ n: row.n, result: "skipped", userId: holder.id, reason: "exists (create-only)" });
          continue;
        }
        if (leavesUnchanged(input, holder)) {
          outcomes.push({ n: row.n, result: "unchanged", userId: holder.id, reason: null });
          continue;
        }
      }
      const made = created.get(i);
      if (made) {
        outcomes.push({ n: row.n, result: "created", userId: made, reason: null });
        continue;
      }
      const outcome = await this.apply(tx, r, row);
      if (outcome.userId) touched.add(outcome.userId);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * The batch's plainly new people created at once (decision 0129): rows whose email and userName no live person holds
   * (the first read) and no other row of the batch names, without password, groups or invitation, outside a dry run.
   * Row index -> the new person's id; a row left out (or that the set-based create hands back) goes through `apply`.
   */
  private async createNew(
    tx: TxCtx,
    r: RowContext,
    inputs: (RowInput | null)[],
    byEmail: Map<string, unknown>,
    byName: Map<string, unknown>,
  ): Promise<Map<number, string>> {
    const o = r.options;
    const done = new Map<number, string>();
    if (o.dryRun || o.invite === "now" || o.groupIds.length > 0) return done;
    const keysOf = (i: RowInput) => [...new Set([i.email.toLowerCase(), (i.userName ?? i.email).toLowerCase()])];
    const seen = new Map<string, number>();
    for (const input of inputs) if (input) for (const k of keysOf(input)) seen.set(k, (seen.get(k) ?? 0) + 1);
    const plain = [...inputs.entries()].filter(
      (e): e is [number, RowInput] =>
        e[1] !== null &&
        e[1].password === undefined &&
        !e[1].groups?.length &&
        !e[1].groupNames?.length &&
        keysOf(e[1]).every((k) => seen.get(k) === 1 && !byEmail.has(k) && !byName.has(k)),
    );
    const ids = await this.people.importManyIn(
      tx,
      plain.map(([, input]) => newPerson(o, input)),
    );
    for (const [j, [i]] of plain.entries()) {
      const id = ids[j];
      if (id) done.set(i, id);
    }
    return done;
  }

  async apply(tx: TxCtx, r: RowContext, row: ClaimedRow): Promise<RowOutcome> {
    try {
      const input = readRow(row.cells, r.fields);
      return await savepointIn(tx, !r.options.dryRun, async () => {
        const { result, userId, reason } = await this.applyInput(tx, r, input);
        return { n: row.n, result, userId, reason };
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === "unavailable") throw e;
      return { n: row.n, result: "failed", userId: null, reason: reasonOf(e) };
    }
  }

  /** The ids of the groups a row names by display name; a name no group has fails the row (no group is made). */
  private async groupsNamed(names: string[], known: Map<string, string> | undefined): Promise<string[]> {
    if (names.length === 0) return [];
    const ids = known ?? (await this.people.groupIdsByName(names));
    const unknown = names.find((n) => !ids.has(n.toLowerCase()));
    if (unknown !== undefined) throw new InvalidError("groups", `no group is named '${unknown}'`);
    return names.map((n) => ids.get(n.toLowerCase())!);
  }

  private async applyInput(
    tx: TxCtx,
    r: RowContext,
    input: RowInput,
  ): Promise<{ result: RowResult; userId: string | null; reason: string | null }> {
    const o = r.options;
    const named = await this.groupsNamed(input.groupNames ?? [], r.groupsByName);
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
    const user = await this.people.importIn(tx, newPerson(o, input), [
      ...new Set([...o.groupIds, ...(input.groups ?? []), ...named]),
    ]);
    if (input.password) await this.credentials.setOneTimePasswordIn(tx, user.id, input.password);
    return { result: "created", userId: user.id, reason: null };
  }
}

/** The new person a row describes, with the file-wide settings. */
function newPerson(o: ImportOptions, input: RowInput): NewPerson {
  return {
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
  };
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
