import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { assertMay, assertMayWrite } from "./person-access.rules";
import { diffFields } from "../audit";
import type { Ctx, TxCtx } from "../context";
import type { Effects, Statement } from "../effects";
import { ConflictError, NotFoundError, PreconditionFailedError, RefusedError } from "../errors";
import type { EntitiesRepository } from "../entities/entities.repository";
import { hashPassword } from "../passwords";
import { unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import {
  type InviteOptions,
  type User,
  type UserAccount,
  type UserProfile,
  type UserSource,
  type UserWrite,
  defaultAccount,
  pickProfile,
} from "./user";
import { type EntityMapping, UserAccounts } from "./user-accounts";
import { createEffects, ignoredChange, restoreEffects, updateEffects } from "./users.effects";
import { type UserRow, profileOf, toUser } from "./user-rows";
import { type ListQuery, UsersRepository } from "./users.repository";
import type { Keyset, KeysetPage } from "../keyset";
import { assertValidProfile, auditView } from "./users.rules";

export interface WriteOptions {
  /** Versions the caller accepts (If-Match); any other current version is PreconditionFailedError. */
  ifMatch?: number[];
  /** Refuse an email address another live user has (the manual doors; an IdP is not held to it). */
  uniqueEmail?: boolean;
}

export interface CreateOptions {
  /**
   * Invite the new person in the same transaction (true, or the space they are invited into); a refusal (no contact,
   * SSO-only) refuses the create. Left out, the communication setting decides for the source, and a person who
   * cannot be invited is simply created without an invitation.
   */
  invite?: boolean | InviteOptions;
  uniqueEmail?: boolean;
  /** A userName held by an account an IdP removed brings that account back (default); false answers 409 instead. */
  restoreRemoved?: boolean;
}

/**
 * What higher layers do inside a user write's transaction, handed to UsersService by the composition root
 * (src/composition.ts): users/ imports none of them.
 */
export interface UserHooks {
  /** Asks for a person's invitation (invitations/); a RefusedError when they cannot be invited. */
  inviteIn(tx: TxCtx, user: User, opts: InviteOptions): Promise<unknown>;
  /** Whether people created from `source` are invited with their creation (the communication setting). */
  invitesAutomatically(source: UserSource, m?: EntityManager): boolean | Promise<boolean>;
  /**
   * A SCIM DELETE: `lockIn` runs before the user row is locked (groups/ locks the user's groups: groups, then users,
   * the order every group write keeps), `removedIn` after the user is marked removed (it leaves every group).
   */
  removal: { lockIn(tx: TxCtx, userId: string): Promise<void>; removedIn(tx: TxCtx, userId: string): Promise<void> };
}

/** A create checked and ready to write: the statement, its effects, and what a restore of a removed account needs. */
interface PreparedCreate {
  profile: UserProfile;
  acct: UserAccount;
  passwordHash: string | null;
  source: UserSource;
  sourceRef: string | null;
  insert: Statement;
  effects: Effects;
}

/** Creates a replacement for `current` (its account too, when the door changes it); returning it unchanged is a no-op. */
export type Mutation = (current: User) => UserWrite | Promise<UserWrite>;

/** How a user update writes its statement and effects: in its own one-statement unit, or in the caller's. */
type UserWriter = (write: Statement, effects: Effects) => Promise<UserRow | null>;

/** Optimistic attempts before an update waits for the row lock instead (heavy contention on one user). */
const OPTIMISTIC_ATTEMPTS = 3;

const lowerEmails = (p: UserProfile) => [...new Set(p.emails.map((e) => String(e.value).toLowerCase()))].sort();

/**
 * The user use cases every door shares. Each write and its audit and outbox rows commit as one unit:
 * a single statement on the fast path (writeAlone), a unit of work holding the row lock otherwise.
 * An actor limited to some entities (ctx.entityScope) reaches only the people placed in them.
 */
export class UsersService {
  private readonly repo = new UsersRepository();
  private readonly accounts: UserAccounts;

  constructor(
    private readonly ds: DataSource,
    entities: EntitiesRepository,
    mapping: EntityMapping,
    private readonly hooks: UserHooks,
  ) {
    this.accounts = new UserAccounts(this.repo, entities, mapping);
  }

  /** Creates a user; a userName an IdP removed earlier brings that account back instead of failing. */
  async create(
    ctx: Ctx,
    input: UserWrite,
    source: UserSource,
    sourceRef: string | null = null,
    account?: UserAccount,
    opts: CreateOptions = {},
  ): Promise<User> {
    const c = await this.prepareCreate(this.ds.manager, ctx, input, source, sourceRef, account, opts);
    const invite = opts.invite ?? (await this.autoInvite(source));
    if (!opts.uniqueEmail && invite === false) {
      const row = await writeAlone<UserRow>(this.ds, ctx, c.insert, c.effects);
      if (row) return toUser(row);
    }
    return unitOfWork(this.ds, ctx, async (tx) => {
      const created = await this.insertIn(tx, c, opts, !opts.uniqueEmail && invite === false);
      return (await this.inviteIn(tx, created, invite, opts.invite !== undefined))
        ? this.repo.lockById(tx.manager, created.id).then((u) => u!)
        : created;
    });
  }

  /** Asks for the new person's invitation; an automatic one is skipped (false) when the person cannot be invited. */
  private async inviteIn(tx: TxCtx, user: User, invite: boolean | InviteOptions, explicit: boolean): Promise<boolean> {
    if (invite === false) return false;
    try {
      await this.hooks.inviteIn(tx, user, invite === true ? {} : invite);
      return true;
    } catch (e) {
      if (explicit || !(e instanceof RefusedError)) throw e;
      return false;
    }
  }

  /**
   * The same create inside the caller's transaction, for a use case that writes more with the new user (its group
   * memberships): everything commits or rolls back together.
   */
  async createIn(
    tx: TxCtx,
    input: UserWrite,
    source: UserSource,
    sourceRef: string | null,
    account?: UserAccount,
    opts: CreateOptions = {},
  ): Promise<User> {
    const created = await this.insertIn(
      tx,
      await this.prepareCreate(tx.manager, tx, input, source, sourceRef, account, opts),
      opts,
      false,
    );
    const invite = opts.invite ?? (await this.autoInvite(source, tx.manager));
    return (await this.inviteIn(tx, created, invite, opts.invite !== undefined))
      ? (await this.repo.lockById(tx.manager, created.id))!
      : created;
  }

  private async autoInvite(source: UserSource, m?: EntityManager): Promise<boolean> {
    return this.hooks.invitesAutomatically(source, m);
  }

  private async prepareCreate(
    m: EntityManager,
    ctx: Ctx,
    input: UserWrite,
    source: UserSource,
    sourceRef: string | null,
    account: UserAccount | undefined,
    _opts: CreateOptions,
  ): Promise<PreparedCreate> {
    const profile = pickProfile(input.profile);
    assertValidProfile(profile);
    const acct = await this.accounts.accountFor(m, ctx, null, account ?? defaultAccount(), profile, true);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const id = randomUUID();
    const insert = this.repo.insert(id, profile, source, sourceRef, passwordHash, acct);
    return {
      profile,
      acct,
      passwordHash,
      source,
      sourceRef,
      insert,
      effects: createEffects(id, profile, acct, source, input.ignoredAttributes),
    };
  }

  /** Inserts (unless `tried`: the insert already found the name taken); a taken name is a 409, or a removed account restored under the row lock. */
  private async insertIn(tx: TxCtx, c: PreparedCreate, opts: CreateOptions, tried: boolean): Promise<User> {
    if (!tried) {
      if (opts.uniqueEmail) await this.accounts.claimEmails(tx.manager, lowerEmails(c.profile), null);
      const row = await writeIn<UserRow>(tx, c.insert, c.effects);
      if (row) return toUser(row);
    }
    const existing = await this.repo.lockByUserName(tx.manager, c.profile.userName);
    if (!existing?.removedAt || opts.restoreRemoved === false) {
      throw new ConflictError("userName", `userName '${c.profile.userName}' is already taken`);
    }
    const write = this.repo.restore(existing.id, c.profile, c.source, c.sourceRef, c.passwordHash, c.acct);
    const restored = await writeIn<UserRow>(tx, write, restoreEffects(existing, c.profile, c.acct, c.source));
    return toUser(restored!);
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

  /** The entity the IdP-sent attribute named by SCIM_ENTITY_MAPPING points at, if exactly one matches. */
  mappedEntity(profile: UserProfile): Promise<string | null> {
    return this.accounts.mappedEntity(profile, this.ds.manager);
  }

  /**
   * Applies `mutate` to the current state and writes the result only if nobody wrote in between
   * (version check); on a lost race it starts again from the new state, and after a few losses it
   * takes the row lock. Concurrent updates never lose each other. With `uniqueEmail` the write runs
   * under the row lock and the locks of the addresses it adds.
   */
  async update(
    ctx: Ctx,
    id: string,
    mutate: Mutation,
    opts: WriteOptions = {},
  ): Promise<{ user: User; changed: boolean }> {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && !opts.uniqueEmail; attempt++) {
      const result = await withDb(() =>
        this.tryUpdate(this.ds.manager, ctx, id, mutate, opts, false, (w, e) =>
          writeAlone<UserRow>(this.ds, ctx, w, e),
        ),
      );
      if (result) return result;
    }
    return unitOfWork(this.ds, ctx, (tx) => this.updateIn(tx, id, mutate, opts));
  }

  /** The same update inside the caller's transaction, under the row lock: for use cases that commit more with it. */
  async updateIn(
    tx: TxCtx,
    id: string,
    mutate: Mutation,
    opts: WriteOptions = {},
  ): Promise<{ user: User; changed: boolean }> {
    return (await this.tryUpdate(tx.manager, tx, id, mutate, opts, true, (w, e) => writeIn<UserRow>(tx, w, e)))!;
  }

  /**
   * IdP removal (SCIM DELETE): the account stays, deactivated and hidden from SCIM, its data kept; it leaves
   * every group in the same transaction (deactivation, by contrast, keeps memberships).
   */
  async remove(ctx: Ctx, id: string, opts: WriteOptions = {}): Promise<void> {
    await unitOfWork(this.ds, ctx, async (tx) => {
      await this.hooks.removal.lockIn(tx, id);
      const current = this.checkLive(ctx, await this.repo.lockById(tx.manager, id), id, opts);
      assertMay(ctx, "change", current);
      await writeIn(tx, this.repo.markRemoved(id, current.version), {
        audits: [
          {
            action: "user.deleted",
            subject: { type: "user", id },
            changes: { active: { before: current.active, after: false }, removed: { before: false, after: true } },
          },
        ],
        events: [{ topic: "user.deleted", payload: { userId: id } }],
      });
      await this.hooks.removal.removedIn(tx, id);
    });
  }

  /**
   * One read-mutate-write round (reads on `m`, the write through `write`: writeAlone, or writeIn under the lock); null
   * when another writer got there first.
   */
  private async tryUpdate(
    m: EntityManager,
    ctx: Ctx,
    id: string,
    mutate: Mutation,
    opts: WriteOptions,
    lock: boolean,
    write: UserWriter,
  ) {
    const found = lock ? await this.repo.lockById(m, id) : await this.repo.findLiveById(m, id);
    const current = this.checkLive(ctx, found, id, opts);
    assertMay(ctx, "change", current);
    const mutated = await mutate(current);
    const profile = pickProfile(mutated.profile);
    assertValidProfile(profile);
    assertMayWrite(ctx, current, {
      profile,
      account: mutated.account ?? current.account,
      password: Boolean(mutated.password),
    });
    const remapped = ctx.door === "scim" || this.accounts.mappedValue(profile) !== this.accounts.mappedValue(current);
    const account = await this.accounts.accountFor(
      m,
      ctx,
      current.account,
      mutated.account ?? current.account,
      profile,
      remapped,
    );
    const changes = {
      ...diffFields(auditView(profileOf(current)), auditView(profile)),
      ...diffFields({ ...current.account }, { ...account }),
    };
    if (Object.keys(changes).length === 0 && !mutated.password) return { user: current, changed: false };
    if (opts.uniqueEmail) {
      const before = new Set(lowerEmails(current));
      await this.accounts.claimEmails(
        m,
        lowerEmails(profile).filter((e) => !before.has(e)),
        id,
      );
    }
    if (mutated.password) changes.password = { before: "[hidden]", after: "[changed]" };
    Object.assign(changes, ignoredChange(mutated.ignoredAttributes));
    const passwordHash = mutated.password ? await hashPassword(mutated.password) : null;
    const row = await write(
      this.repo.update(id, current.version, profile, passwordHash, account),
      updateEffects(current, profile.active, changes),
    );
    return row ? { user: toUser(row), changed: true } : null;
  }

  private checkLive(ctx: Ctx, user: User | null, id: string, opts: WriteOptions): User {
    if (!user || user.removedAt) throw new NotFoundError("User", id);
    assertMay(ctx, "read", user);
    if (opts.ifMatch && !opts.ifMatch.includes(user.version)) throw new PreconditionFailedError(user.version);
    return user;
  }
}
