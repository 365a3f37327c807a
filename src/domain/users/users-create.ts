// Creating a user, and bringing back the account an IdP removed when its userName is created again.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import type { Effects, Statement } from "../effects";
import { ConflictError, RefusedError } from "../errors";
import { hashPassword } from "../passwords";
import { unitOfWork, writeAlone, writeIn } from "../unit-of-work";
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
import { keepAdminOwned } from "./field-ownership";
import type { UserAccounts } from "./user-accounts";
import { type UserRow, profileOf, toUser } from "./user-rows";
import { createEffects, restoreEffects } from "./users.effects";
import type { UsersRepository } from "./users.repository";
import { assertValidProfile } from "./users.rules";
import type { UserHooks } from "./user-hooks";

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

/** A create checked and ready to write: the statement, its effects, and what a restore of a removed account needs. */
interface PreparedCreate {
  profile: UserProfile;
  acct: UserAccount;
  passwordHash: string | null;
  source: UserSource;
  sourceRef: string | null;
  /** The door named the account (the admin door); else a restore gives back the one the account had. */
  accountGiven: boolean;
  insert: Statement;
  effects: Effects;
}

/** The lower-cased, distinct and sorted email addresses of a profile (the order their locks are taken in). */
export const lowerEmails = (p: UserProfile) => [...new Set(p.emails.map((e) => String(e.value).toLowerCase()))].sort();

/** UsersService's creates: checked, inserted with their audit and outbox rows, invited when asked or automatic. */
export class UserCreation {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: UsersRepository,
    private readonly accounts: UserAccounts,
    private readonly hooks: Pick<UserHooks, "inviteIn" | "invitesAutomatically" | "restore" | "fieldOwnership">,
  ) {}

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
    const insert = this.repo.insert(id, profile, source, sourceRef, passwordHash, acct, ctx.door === "scim");
    return {
      profile,
      acct,
      passwordHash,
      source,
      sourceRef,
      accountGiven: account !== undefined,
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
    // What a SCIM DELETE took away: its groups are locked before the user row (groups, then users, as every group write).
    const snapshot = await this.repo.leaveSnapshotOf(tx.manager, c.profile.userName);
    if (snapshot?.groups.length) await this.hooks.restore.lockIn(tx, snapshot.groups);
    const existing = await this.repo.lockByUserName(tx.manager, c.profile.userName);
    if (!existing?.removedAt || opts.restoreRemoved === false) {
      throw new ConflictError("userName", `userName '${c.profile.userName}' is already taken`);
    }
    const pushed = tx.door === "scim";
    const { profile, dropped } = pushed
      ? keepAdminOwned(profileOf(existing), c.profile, await this.hooks.fieldOwnership(tx.manager))
      : { profile: c.profile, dropped: [] };
    // The account held before the removal comes back, unless the door named one (an entity mapping still places).
    const acct: UserAccount =
      snapshot && !c.accountGiven
        ? {
            entityId: c.acct.entityId ?? snapshot.entityId,
            systemRole: snapshot.systemRole,
            adminScope: snapshot.adminScope,
            external: snapshot.external,
          }
        : c.acct;
    const write = this.repo.restore(existing.id, profile, c.source, c.sourceRef, c.passwordHash, acct, pushed);
    await writeIn<UserRow>(tx, write, restoreEffects(existing, profile, acct, c.source, dropped));
    if (snapshot?.groups.length) await this.hooks.restore.rejoinIn(tx, existing.id, snapshot.groups);
    return (await this.repo.lockById(tx.manager, existing.id))!;
  }
}
