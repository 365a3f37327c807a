import type { DataSource } from "typeorm";
import { assertMay } from "./person-access.rules";
import type { Ctx, TxCtx } from "../context";
import { NotFoundError, RefusedError } from "../errors";
import type { EntitiesRepository } from "../entities/entities.repository";
import { withDb } from "../unit-of-work";
import type { User, UserAccount, UserProfile, UserSource, UserWrite } from "./user";
import type { UserHooks } from "./user-hooks";
import { type EntityMapping, UserAccounts } from "./user-accounts";
import { profileOf } from "./user-rows";
import { type CreateOptions, UserCreation } from "./users-create";
import { type NewUser, createManyIn } from "./users-create-many";
import { analyzeUsersIfOutgrown } from "./users-statistics";
import { foldTallies } from "./user-list.tallies";
import { type ListQuery, UsersRepository } from "./users.repository";
import { type Mutation, UserUpdates, type WriteOptions } from "./users-update";
import { removeUser } from "./users-remove";
import type { Keyset, KeysetPage } from "../keyset";

/**
 * The user use cases every door shares. Each write and its audit and outbox rows commit as one unit:
 * a single statement on the fast path (writeAlone), a unit of work holding the row lock otherwise.
 * An actor limited to some entities (ctx.entityScope) reaches only the people placed in them.
 */
export class UsersService {
  private readonly repo = new UsersRepository();
  private readonly accounts: UserAccounts;
  private readonly updates: UserUpdates;
  private readonly creation: UserCreation;

  constructor(
    private readonly ds: DataSource,
    entities: EntitiesRepository,
    mapping: EntityMapping,
    private readonly hooks: UserHooks,
  ) {
    this.accounts = new UserAccounts(this.repo, entities, mapping);
    this.creation = new UserCreation(ds, this.repo, this.accounts, hooks);
    this.updates = new UserUpdates(ds, this.repo, this.accounts, hooks);
  }

  /** Creates a user; a userName an IdP removed earlier brings that account back instead of failing (UserCreation). */
  create(
    ctx: Ctx,
    input: UserWrite,
    source: UserSource,
    sourceRef: string | null = null,
    account?: UserAccount,
    opts: CreateOptions = {},
  ): Promise<User> {
    return this.creation.create(ctx, input, source, sourceRef, account, opts);
  }

  /** The same create inside the caller's transaction, for a use case that writes more with the new user. */
  createIn(
    tx: TxCtx,
    input: UserWrite,
    source: UserSource,
    sourceRef: string | null,
    account?: UserAccount,
    opts: CreateOptions = {},
  ): Promise<User> {
    return this.creation.createIn(tx, input, source, sourceRef, account, opts);
  }

  /** Many new people at once inside the caller's unit (an import's batch): their ids, null for those to create one by one. */
  createManyIn(tx: TxCtx, items: NewUser[], source: UserSource, sourceRef: string | null): Promise<(string | null)[]> {
    return createManyIn(tx, this.repo, this.accounts, items, source, sourceRef);
  }

  /** A live user; with a ctx, one the actor may not read (outside their entity scope) is not found either. */
  async get(id: string, ctx?: Ctx): Promise<User> {
    const user = await withDb(() => this.repo.findLiveById(this.ds.manager, id));
    if (!user) throw new NotFoundError("User", id);
    if (ctx) assertMay(ctx, "read", user);
    return user;
  }

  async list(query: ListQuery): Promise<{ total: number; users: User[] }> {
    return withDb(() => this.repo.list(this.ds.manager, query));
  }

  /** Folds the list tallies' deltas (user-list.tallies.ts); the worker calls it every USER_TALLY_FOLD_MS. */
  foldListTallies(): Promise<number> {
    return withDb(() => foldTallies(this.ds.manager));
  }

  /**
   * A keyset page of live users (RFC 9865 cursors). The total is counted for the first page only (RFC 9865 §2 lets
   * it be left out): later pages cost the same at any depth and any number of users.
   */
  async page(query: ListQuery, keyset: Keyset): Promise<KeysetPage<User> & { total?: number }> {
    const page = await withDb(() => this.repo.page(this.ds.manager, query, keyset));
    if (keyset.position) return page;
    const { total } = await withDb(() => this.repo.list(this.ds.manager, { ...query, offset: 0, limit: 0 }));
    return { ...page, total };
  }

  /** Which of these userNames (lower-cased) are taken, including by accounts an IdP removed. */
  takenUserNames(names: string[]): Promise<Set<string>> {
    return withDb(() =>
      this.repo.takenUserNames(
        this.ds.manager,
        names.map((n) => n.toLowerCase()),
      ),
    );
  }

  /** Whether a live user has this email address (case-insensitive). A read only: creates check again under a lock. */
  async emailInUse(email: string): Promise<boolean> {
    return (await withDb(() => this.repo.liveUserWithEmail(this.ds.manager, [email.toLowerCase()], null))) !== null;
  }

  /** After many creates (an import's batch): the planner's statistics refreshed when the table outgrew them (0150). */
  refreshStatisticsIfOutgrown(): Promise<boolean> {
    return withDb(() => analyzeUsersIfOutgrown(this.ds.manager));
  }

  /** The live people holding any of these emails or userNames (case-insensitive), read in one statement. */
  liveMatching(emails: string[], userNames: string[]): Promise<User[]> {
    const lower = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];
    return withDb(() => this.repo.liveMatching(this.ds.manager, lower(emails), lower(userNames)));
  }

  /** Inside a unit (an import's row): the live person with this email, and the one with this userName (ids). */
  async matchIn(
    tx: TxCtx,
    email: string,
    userName: string | null,
  ): Promise<{ byEmail: string | null; byUserName: string | null }> {
    const holder = await this.repo.liveUserWithEmail(tx.manager, [email.toLowerCase()], null);
    const byUserName = userName === null ? null : await this.repo.liveIdByUserName(tx.manager, userName);
    return { byEmail: holder?.id ?? null, byUserName };
  }

  /** The entity the IdP-sent attribute named by SCIM_ENTITY_MAPPING points at, if exactly one matches. */
  mappedEntity(profile: UserProfile): Promise<string | null> {
    return this.accounts.mappedEntity(profile, this.ds.manager);
  }

  /**
   * Applies `mutate` to the current state and writes the result only if nobody wrote in between (version check),
   * taking the row lock after a few lost races (UserUpdates).
   */
  update(ctx: Ctx, id: string, mutate: Mutation, opts: WriteOptions = {}): Promise<{ user: User; changed: boolean }> {
    return this.updates.update(ctx, id, mutate, opts);
  }

  /** An IdP's PATCH of `active` alone: one statement when it can be (UserUpdates.switchAlone), else the update. */
  async pushActive(ctx: Ctx, id: string, active: boolean, opts: WriteOptions = {}): Promise<Updated> {
    const user = await this.updates.switchAlone(ctx, id, active, opts);
    if (user) return { user, changed: true };
    return this.update(ctx, id, (current) => ({ profile: { ...profileOf(current), active } }), opts);
  }

  /** An IdP's full replace (SCIM PUT): one statement when it can be (UserUpdates.replaceAlone), else the update. */
  async replace(
    ctx: Ctx,
    id: string,
    write: UserWrite,
    opts: WriteOptions = {},
  ): Promise<{ user: User; changed: boolean }> {
    const user = await this.updates.replaceAlone(ctx, id, write, opts);
    if (user) return { user, changed: true };
    return this.update(ctx, id, () => write, opts);
  }

  /** The same update inside the caller's transaction, under the row lock: for use cases that commit more with it. */
  updateIn(
    tx: TxCtx,
    id: string,
    mutate: Mutation,
    opts: WriteOptions = {},
  ): Promise<{ user: User; changed: boolean }> {
    return this.updates.updateIn(tx, id, mutate, opts);
  }

  /**
   * Deactivation on leave, and reactivation: the use case of every door that switches a person off or on alone (admin
   * deactivate/activate, the mass action, an import's sync). Nothing is taken away: roles, entity and memberships stay,
   * so reactivation gives back exactly what the person had. The write carries `user.deactivated` / `user.reactivated`
   * (users.effects.ts, as a SCIM PUT or PATCH of `active` does); the worker's lifecycle module reacts to them.
   */
  setActive(ctx: Ctx, id: string, active: boolean, opts: WriteOptions = {}): Promise<{ user: User; changed: boolean }> {
    return this.update(ctx, id, (current) => switched(ctx, current, active), opts);
  }

  /** The same inside the caller's transaction (a mass action's job records the outcome with it). */
  setActiveIn(tx: TxCtx, id: string, active: boolean): Promise<{ user: User; changed: boolean }> {
    return this.updateIn(tx, id, (current) => switched(tx, current, active));
  }

  /**
   * IdP removal (SCIM DELETE): the account stays, deactivated and hidden from SCIM, its data kept; it leaves
   * every group in the same transaction (users-remove.ts).
   */
  remove(ctx: Ctx, id: string, opts: WriteOptions = {}): Promise<void> {
    return removeUser(this.ds, this.repo, this.hooks.removal, ctx, id, opts);
  }
}

type Updated = { user: User; changed: boolean };

/** The person switched on or off; nobody deactivates their own account. */
function switched(ctx: Ctx, current: User, active: boolean): UserWrite {
  if (!active && ctx.actor.type === "user" && ctx.actor.id === current.id) {
    throw new RefusedError("cannot_deactivate_self", "conflict", "You cannot deactivate your own account");
  }
  return { profile: { ...profileOf(current), active } };
}
