// Updating a user: optimistic read-mutate-write rounds (version check), then the same under the row lock.
import type { DataSource, EntityManager } from "typeorm";
import { diffFields } from "../audit";
import type { Ctx, TxCtx } from "../context";
import type { Effects, Statement } from "../effects";
import { NotFoundError, PreconditionFailedError } from "../errors";
import { hashPassword } from "../passwords";
import { unitOfWork, withDb, writeAlone, writeAloneDerived, writeIn } from "../unit-of-work";
import { REPLACE_EFFECTS, replaceText } from "./users-replace.sql";
import { adminOwnedColumns, keepAdminOwned } from "./field-ownership";
import { isUuid } from "../ids";
import { assertMay, assertMayWrite, reachesEveryone } from "./person-access.rules";
import { type User, type UserWrite, pickProfile } from "./user";
import type { UserAccounts } from "./user-accounts";
import { type UserRow, profileOf, profileValues, toUser } from "./user-rows";
import { lowerEmails } from "./users-create";
import { ignoredChange, switchEffects, updateEffects } from "./users.effects";
import type { UsersRepository } from "./users.repository";
import { assertValidProfile, auditView } from "./users.rules";
import type { UserHooks } from "./user-hooks";

export interface WriteOptions {
  /** Versions the caller accepts (If-Match); any other current version is PreconditionFailedError. */
  ifMatch?: number[];
  /** Refuse an email address another live user has (the manual doors; an IdP is not held to it). */
  uniqueEmail?: boolean;
}

/** Creates a replacement for `current` (its account too, when the door changes it); returning it unchanged is a no-op. */
export type Mutation = (current: User) => UserWrite | Promise<UserWrite>;

/** How a user update writes its statement and effects: in its own one-statement unit, or in the caller's. */
type UserWriter = (write: Statement, effects: Effects) => Promise<UserRow | null>;

/** Optimistic attempts before an update waits for the row lock instead (heavy contention on one user). */
const OPTIMISTIC_ATTEMPTS = 3;

/** UsersService's updates: each write and its audit and outbox rows commit as one unit. */
export class UserUpdates {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: UsersRepository,
    private readonly accounts: UserAccounts,
    private readonly hooks: Pick<UserHooks, "fieldOwnership">,
  ) {}

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

  /**
   * An IdP switching a person on or off and nothing else, as ONE statement (decision 0132): the flip, its audit record
   * and its event, when nothing else is to check: the actor reaches everyone (`may` allows all, so the target's rights
   * need no look), no entity mapping can move the person, and `active` is the only field written (not an owned field;
   * the rest of the profile is as stored, checked when it was written). Null when it applied nothing (no such live
   * user, no change, another version than If-Match accepts): the caller then runs the general update, which answers
   * each of those as always (404, the no-op and its push stamp, 412).
   */
  async switchAlone(ctx: Ctx, id: string, active: boolean, opts: WriteOptions = {}): Promise<User | null> {
    if (!isUuid(id) || !reachesEveryone(ctx) || this.accounts.mapsEntities || opts.uniqueEmail) return null;
    const row = await writeAlone<UserRow>(
      this.ds,
      ctx,
      this.repo.switchActive(id, active, opts.ifMatch, ctx.door === "scim"),
      switchEffects(id, !active, active),
    );
    return row ? toUser(row) : null;
  }

  /**
   * An IdP's full replace (SCIM PUT) as ONE statement (decision 0132): the row locked, compared and diffed in the
   * statement (users-replace.sql.ts), when nothing else is to check: the actor reaches everyone, no entity mapping, no
   * admin-owned field, no password, no account, nothing ignored, a valid profile. Null when it applied nothing (no
   * such live user, no change, a version If-Match refuses) or cannot run: the caller then runs the general update.
   */
  async replaceAlone(ctx: Ctx, id: string, write: UserWrite, opts: WriteOptions = {}): Promise<User | null> {
    if (!isUuid(id) || ctx.door !== "scim" || !reachesEveryone(ctx) || this.accounts.mapsEntities) return null;
    if (opts.uniqueEmail || write.password || write.account || write.ignoredAttributes?.length) return null;
    const ownership = await this.hooks.fieldOwnership(this.ds.manager);
    // keepAdminOwned compares emails as JSON text (key order counts): that one is judged in JS, on the general path.
    if (ownership.email === "admin") return null;
    const profile = pickProfile(write.profile);
    try {
      assertValidProfile(profile);
    } catch {
      return null; // the general path answers, after what it checks first (404, 412)
    }
    const row = await writeAloneDerived<UserRow>(
      this.ds,
      ctx,
      {
        text: replaceText(adminOwnedColumns(ownership)),
        values: [id, ...profileValues(profile), opts.ifMatch ?? null],
      },
      REPLACE_EFFECTS,
    );
    return row ? toUser(row) : null;
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
    const current = checkLive(ctx, found, id, opts);
    assertMay(ctx, "change", current);
    const mutated = await mutate(current);
    const pushed = ctx.door === "scim";
    // An IdP push never overwrites a field the admins own: its value is dropped, and named in the audit.
    const { profile, dropped } = pushed
      ? keepAdminOwned(profileOf(current), pickProfile(mutated.profile), await this.hooks.fieldOwnership(m))
      : { profile: pickProfile(mutated.profile), dropped: [] };
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
    if (Object.keys(changes).length === 0 && !mutated.password) {
      if (pushed && pushIsOld(current)) await write(this.repo.markPushed(id), { audits: [], events: [] });
      return { user: current, changed: false };
    }
    if (opts.uniqueEmail) {
      const before = new Set(lowerEmails(current));
      await this.accounts.claimEmails(
        m,
        lowerEmails(profile).filter((e) => !before.has(e)),
        id,
      );
    }
    if (mutated.password) changes.password = { before: "[hidden]", after: "[changed]" };
    Object.assign(changes, ignoredChange([...(mutated.ignoredAttributes ?? []), ...dropped]));
    const passwordHash = mutated.password ? await hashPassword(mutated.password) : null;
    const row = await write(
      this.repo.update(id, current.version, profile, passwordHash, account, pushed),
      updateEffects(current, profile.active, changes),
    );
    return row ? { user: toUser(row), changed: true } : null;
  }
}

/** Whether a push that changes nothing should still stamp last_pushed_at (markPushed: at most hourly). */
const pushIsOld = (u: User) => !u.lifecycle.lastPushedAt || Date.now() - u.lifecycle.lastPushedAt.getTime() > 3_600_000;

/** The user, if live, readable by the actor and at a version the caller accepts (If-Match). */
export function checkLive(ctx: Ctx, user: User | null, id: string, opts: WriteOptions): User {
  if (!user || user.removedAt) throw new NotFoundError("User", id);
  assertMay(ctx, "read", user);
  if (opts.ifMatch && !opts.ifMatch.includes(user.version)) throw new PreconditionFailedError(user.version);
  return user;
}
