import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import type { ScopedGroupsService } from "../groups/scoped-groups.service";
import type { EntitiesRepository } from "../entities/entities.repository";
import { DomainError, RefusedError } from "../errors";
import { unitOfWork, withDb } from "../unit-of-work";
import type { User, UserAccount, UserProfile } from "../users/user";
import type { CreateOptions } from "../users/users-create";
import type { UsersService } from "../users/users.service";
import type { ManualPolicy } from "./manual-policy.rules";
import { ManualChanges } from "./manual-change";
import { ManualCreation } from "./manual-create";
import type { InvitationsService } from "../invitations/invitations.service";
import type { FieldOwnership } from "../users/field-ownership";
import type { LockedField, NewPerson, PersonChanges, PersonView } from "./person";

export interface PeopleSettings {
  policy: ManualPolicy;
  /** SSO_ONLY: accounts come only from the IdP (SCIM, SSO); manual creation is refused. */
  ssoOnly: boolean;
}

/**
 * The admin door's people use cases: the manual policy and the admin-only fields on top of UsersService, which does
 * every write (and holds every rule the doors share: profile checks, entity scope, rights, email and userName uniqueness).
 */
export class PeopleService {
  private readonly manual: ManualCreation;
  private readonly changes: ManualChanges;

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    /** Where a person view finds its entity's name and key. */
    private readonly entities: EntitiesRepository,
    private readonly scopedGroups: ScopedGroupsService,
    /** Where a person view finds its latest invitation. */
    private readonly invitations: InvitationsService,
    private readonly s: PeopleSettings,
    /** Who owns each profile field (the field-ownership setting, cached by settings/). */
    fieldOwnership: () => Promise<FieldOwnership>,
  ) {
    this.manual = new ManualCreation(users, s);
    this.changes = new ManualChanges(users, s, fieldOwnership);
  }

  /** For a batch: a line that fails while its email is taken is reported as existing. */
  emailInUse(email: string): Promise<boolean> {
    return this.users.emailInUse(email);
  }

  /** For a batch: the groups its lines are created into, checked once up front (400 on `groups[i]`). */
  assertGroups(groupIds: string[]): Promise<void> {
    return this.scopedGroups.assertGroups(groupIds);
  }

  /** Groups named by display name (an import's `groups` column): lower(name) -> id, for the names found. */
  groupIdsByName(names: string[]): Promise<Map<string, string>> {
    return this.scopedGroups.idsByName(names);
  }

  /** Refused in SSO-only mode, before anything is read. */
  assertManualCreation(): void {
    if (this.s.ssoOnly) {
      throw new RefusedError(
        "sso_only",
        "forbidden",
        "Accounts come from single sign-on and SCIM provisioning here: creating people by hand is turned off (SSO_ONLY)",
      );
    }
  }

  async create(ctx: Ctx, p: NewPerson): Promise<PersonView> {
    this.assertManualCreation();
    const { profile, account, opts } = this.manual.prepare(p);
    return this.view(
      await this.manual.named(profile, opts, p.userName, (prof, o) =>
        this.createWithGroups(ctx, prof, account, o, p.groups ?? []),
      ),
    );
  }

  /**
   * The same manual create inside the caller's transaction, for a use case that writes more with the person (an external
   * person invited into a space): `invite` replaces `p.invite` (it may name the space). `p.groups` is not used here.
   */
  async createIn(tx: TxCtx, p: NewPerson, invite: CreateOptions["invite"]): Promise<User> {
    this.assertManualCreation();
    const { profile, account, opts } = this.manual.prepare(p);
    return this.manual.named(profile, { ...opts, invite }, p.userName, (prof, o) =>
      this.users.createIn(tx, { profile: prof }, "admin", tx.actor.name, account, o),
    );
  }

  /**
   * The person and their group memberships in one transaction: the groups are locked first (groups, then users, as every
   * group write does), an id naming no group refuses the whole create, and each membership is audited as a SCIM PATCH's.
   */
  private createWithGroups(
    ctx: Ctx,
    profile: UserProfile,
    account: UserAccount,
    opts: CreateOptions,
    groupIds: string[],
  ): Promise<User> {
    return unitOfWork(this.ds, ctx, async (tx) => {
      const groups = await this.scopedGroups.lockForJoinIn(tx, groupIds);
      const user = await this.users.createIn(tx, { profile }, "admin", ctx.actor.name, account, opts);
      const joined = await this.scopedGroups.joinIn(tx, groups, user.id);
      const known = new Set(user.groups.map((g) => g.id));
      return { ...user, groups: [...user.groups, ...joined.filter((g) => !known.has(g.id))] };
    });
  }

  async get(ctx: Ctx, id: string): Promise<PersonView> {
    return this.view(await this.users.get(id, ctx));
  }

  /**
   * Changes what an admin may change; for a SCIM-managed person the fields the IdP owns (the field-ownership setting,
   * read before the transaction) are refused by name.
   */
  async change(ctx: Ctx, id: string, c: PersonChanges, ifMatch?: number[]): Promise<PersonView> {
    const { user } = await this.users.update(ctx, id, await this.changes.mutation(c), { ifMatch, uniqueEmail: true });
    return this.view(user);
  }

  /**
   * The same change inside the caller's transaction, under the row lock (an import's batch): `changed` false when the
   * person already looked like that. An IdP-owned field of a SCIM-managed person is refused the same way.
   */
  async changeIn(tx: TxCtx, id: string, c: PersonChanges): Promise<{ user: User; changed: boolean }> {
    return this.users.updateIn(tx, id, await this.changes.mutation(c), { uniqueEmail: true });
  }

  /**
   * The manual create of an import's row inside the batch's transaction: the person (source csv), the groups given for
   * the whole file (locked first: groups, then users, as every group write) and the invitation when asked for.
   */
  async importIn(tx: TxCtx, p: NewPerson, groups: string[]): Promise<User> {
    this.assertManualCreation();
    const locked = await this.scopedGroups.lockForJoinIn(tx, groups);
    const { profile, account, opts } = this.manual.prepare(p);
    const user = await this.manual.named(profile, { ...opts, restoreRemoved: false }, p.userName, (prof, o) =>
      this.users.createIn(tx, { profile: prof }, "csv", tx.actor.name, account, o),
    );
    if (locked.length) await this.scopedGroups.joinIn(tx, locked, user.id);
    return user;
  }

  /**
   * New people of an import at once (no groups, no invitation): the manual policy's checks per person, then one
   * multi-row create. Their ids; null for a person to create one by one (importIn): no free first.last in the window,
   * an address or userName turned out taken, or a check failed (importIn says why).
   */
  async importManyIn(tx: TxCtx, people: NewPerson[]): Promise<(string | null)[]> {
    this.assertManualCreation();
    const out: (string | null)[] = people.map(() => null);
    const checked: { at: number; userName: string | undefined; profile: UserProfile; account: UserAccount }[] = [];
    for (const [at, p] of people.entries()) {
      if (p.invite) continue;
      try {
        checked.push({ at, userName: p.userName, ...this.manual.prepare(p) });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
      }
    }
    const named = await this.manual.nameMany(checked);
    const ready = checked
      .filter((_, i) => named[i])
      .map(({ at, profile, account }) => ({ at, item: { profile, account } }));
    const made = await this.users.createManyIn(
      tx,
      ready.map((r) => r.item),
      "csv",
      tx.actor.name, // as importIn's one-by-one create records who made them
    );
    for (const [i, r] of ready.entries()) out[r.at] = made[i];
    return out;
  }

  /** The fields `change` would refuse for this person, for a form to show locked with why (manual-change.ts). */
  lockedFields(user: User): Promise<LockedField[]> {
    return this.changes.lockedFields(user);
  }

  /** Deactivation on leave and reactivation, the use case every door shares (UsersService.setActive). */
  async setActive(ctx: Ctx, id: string, active: boolean): Promise<PersonView> {
    return this.view((await this.users.setActive(ctx, id, active)).user);
  }

  async view(user: User): Promise<PersonView> {
    const ids = [...new Set([...(user.account.entityId ? [user.account.entityId] : []), ...user.account.adminScope])];
    const refs = await withDb(() => this.entities.refs(this.ds.manager, ids));
    const byId = new Map(refs.map((r) => [r.id, r]));
    const inv = user.lifecycle.invitedAt ? await this.invitations.latestOf(user.id) : null;
    return {
      user,
      entity: user.account.entityId ? (byId.get(user.account.entityId) ?? null) : null,
      adminScope: user.account.adminScope.map((id) => byId.get(id) ?? { id, name: "" }),
      invitation: inv ? { status: inv.status, invitedAt: inv.requestedAt, expiresAt: inv.expiresAt } : null,
    };
  }
}
