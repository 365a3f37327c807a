import { randomUUID } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { diffFields, FieldChanges } from "../audit";
import { Ctx, TxCtx } from "../context";
import { Effects, Statement, writeWithEffects } from "../effects";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../errors";
import { hashPassword } from "../passwords";
import { inTransaction, withDb } from "../transaction";
import { User, UserAccount, UserSource, UserWrite, defaultAccount, pickProfile } from "./user";
import { ListQuery, UserRow, UsersRepository, profileOf, toUser } from "./users.repository";
import { assertValidProfile, auditView } from "./users.rules";

export interface WriteOptions {
  /** Versions the caller accepts (If-Match); any other current version is PreconditionFailedError. */
  ifMatch?: number[];
}

/** Creates a replacement for `current`; returning it unchanged is a no-op. */
export type Mutation = (current: User) => UserWrite | Promise<UserWrite>;

/** Optimistic attempts before an update waits for the row lock instead (heavy contention on one user). */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * The user use cases every door shares. Each write and its audit and outbox rows commit as one unit:
 * a single statement on the fast path (writeWithEffects), a transaction holding the row lock otherwise.
 */
export class UsersService {
  private readonly repo = new UsersRepository();

  constructor(private readonly ds: DataSource) {}

  /** Creates a user; a userName an IdP removed earlier brings that account back instead of failing. */
  async create(ctx: Ctx, input: UserWrite, source: UserSource, sourceRef: string | null = null, account?: UserAccount): Promise<User> {
    input = { ...input, profile: pickProfile(input.profile) };
    assertValidProfile(input.profile);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const id = randomUUID();
    const accountChanges = account ? diffFields({ ...defaultAccount() }, { ...account }) : {};
    const effects: Effects = {
      audits: [{ action: "user.created", subject: { type: "user", id }, changes: { ...diffFields({}, auditView(input.profile)), ...accountChanges } }],
      events: [{ topic: "user.created", payload: { userId: id, source } }],
    };
    const insert = this.repo.insert(id, input.profile, source, sourceRef, passwordHash, account);
    const row = await withDb(() => writeWithEffects<UserRow>(this.ds.manager, ctx, insert, effects));
    if (row) return toUser(row);
    // The name is taken: by a live user (409) or by one an IdP removed (restore it), decided under the row lock.
    return inTransaction(this.ds, ctx, async (tx) => {
      const existing = await this.repo.lockByUserName(tx.manager, input.profile.userName);
      if (!existing || !existing.removedAt) throw new ConflictError("userName", `userName '${input.profile.userName}' is already taken`);
      const changes = { ...diffFields(auditView(profileOf(existing)), auditView(input.profile)), removed: { before: true, after: false } };
      const restored = await writeWithEffects<UserRow>(tx.manager, ctx, this.repo.restore(existing.id, input.profile, source, sourceRef, passwordHash), {
        audits: [{ action: "user.restored", subject: { type: "user", id: existing.id }, changes }],
        events: [{ topic: "user.created", payload: { userId: existing.id, source, restored: true } }],
      });
      return toUser(restored!);
    });
  }

  async get(id: string): Promise<User> {
    const user = await withDb(() => this.repo.findLiveById(this.ds.manager, id));
    if (!user) throw new NotFoundError("User", id);
    return user;
  }

  async list(query: ListQuery): Promise<{ total: number; users: User[] }> {
    return withDb(() => this.repo.list(this.ds.manager, query));
  }

  /**
   * Applies `mutate` to the current state and writes the result only if nobody wrote in between
   * (version check); on a lost race it starts again from the new state, and after a few losses it
   * takes the row lock. Concurrent updates never lose each other.
   */
  async update(ctx: Ctx, id: string, mutate: Mutation, opts: WriteOptions = {}): Promise<{ user: User; changed: boolean }> {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const result = await withDb(() => this.tryUpdate(this.ds.manager, ctx, id, mutate, opts, false));
      if (result) return result;
    }
    return inTransaction(this.ds, ctx, async (tx) => (await this.tryUpdate(tx.manager, ctx, id, mutate, opts, true))!);
  }

  /** The same update inside the caller's transaction, under the row lock: for use cases that commit more with it. */
  async updateWithin(tx: TxCtx, id: string, mutate: Mutation, opts: WriteOptions = {}): Promise<{ user: User; changed: boolean }> {
    return (await this.tryUpdate(tx.manager, tx, id, mutate, opts, true))!;
  }

  /** IdP removal (SCIM DELETE): the account stays, deactivated and hidden from SCIM, its data kept. */
  async remove(ctx: Ctx, id: string, opts: WriteOptions = {}): Promise<void> {
    await inTransaction(this.ds, ctx, async (tx) => {
      const current = this.checkLive(await this.repo.lockById(tx.manager, id), id, opts);
      await writeWithEffects(tx.manager, ctx, this.repo.markRemoved(id, current.version), {
        audits: [{ action: "user.deleted", subject: { type: "user", id }, changes: { active: { before: current.active, after: false }, removed: { before: false, after: true } } }],
        events: [{ topic: "user.deleted", payload: { userId: id } }],
      });
    });
  }

  /** One read-mutate-write round; null when another writer got there first. */
  private async tryUpdate(m: EntityManager, ctx: Ctx, id: string, mutate: Mutation, opts: WriteOptions, lock: boolean) {
    const found = lock ? await this.repo.lockById(m, id) : await this.repo.findLiveById(m, id);
    const current = this.checkLive(found, id, opts);
    const mutated = await mutate(current);
    const next = { ...mutated, profile: pickProfile(mutated.profile) };
    assertValidProfile(next.profile);
    const changes = diffFields(auditView(profileOf(current)), auditView(next.profile));
    if (Object.keys(changes).length === 0 && !next.password) return { user: current, changed: false };
    if (next.password) changes.password = { before: "[hidden]", after: "[changed]" };
    const passwordHash = next.password ? await hashPassword(next.password) : null;
    const write: Statement = this.repo.update(id, current.version, next.profile, passwordHash);
    const row = await writeWithEffects<UserRow>(m, ctx, write, updateEffects(current, next.profile.active, changes));
    return row ? { user: toUser(row), changed: true } : null;
  }

  private checkLive(user: User | null, id: string, opts: WriteOptions): User {
    if (!user || user.removedAt) throw new NotFoundError("User", id);
    if (opts.ifMatch && !opts.ifMatch.includes(user.version)) throw new PreconditionFailedError(user.version);
    return user;
  }
}

/** user.updated for profile changes, user.deactivated / user.reactivated for a change of `active`. */
function updateEffects(before: User, nowActive: boolean, changes: FieldChanges): Effects {
  const { active, ...others } = changes;
  const effects: Effects = { audits: [], events: [] };
  const subject = { type: "user" as const, id: before.id };
  if (Object.keys(others).length > 0) {
    effects.audits.push({ action: "user.updated", subject, changes: others });
    effects.events.push({ topic: "user.updated", payload: { userId: before.id, fields: Object.keys(others) } });
  }
  if (active) {
    const topic = nowActive ? "user.reactivated" : "user.deactivated";
    effects.audits.push({ action: topic, subject, changes: { active } });
    effects.events.push({ topic, payload: { userId: before.id, wasActive: before.active } });
  }
  return effects;
}
