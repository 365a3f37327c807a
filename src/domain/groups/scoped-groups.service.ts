import type { DataSource } from "typeorm";
import { assertMay } from "../users/person-access.rules";
import { inScope, scopeOf } from "../scope";
import type { Ctx, TxCtx } from "../context";
import { InvalidError, NotFoundError } from "../errors";
import { unitOfWork, withDb } from "../unit-of-work";
import type { MultiValue, UserGroup } from "../users/user";
import type { UsersRepository } from "../users/users.repository";
import { isUuid } from "../ids";
import type { MembershipResult, GroupSummary, MemberSummary, Page, PageRequest } from "./group-views";
import { decodeCursor, encodeCursor } from "./scoped-groups.cursor";
import { ScopedGroupsRepository } from "./scoped-groups.repository";
import type { Group } from "./group";
import type { GroupWriteOptions, GroupsService } from "./groups.service";

/** `%`, `_` and `\` stand for themselves in a text search. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Groups as an actor limited to some entities sees them (the admin door): browsing groups and their members, and strict member changes.
 * Unlike an IdP's push (which skips ids it does not know), every id named here must exist, and an actor limited to some
 * entities (ctx.entityScope) sees and affiliates only the people placed in them: anyone else is not found. Every write
 * goes through GroupsService under the group's row lock, so its audit and outbox rows are a SCIM PATCH's.
 */
export class ScopedGroupsService {
  private readonly repo = new ScopedGroupsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly groups: GroupsService,
    private readonly users: UsersRepository,
  ) {}

  /** Groups whose displayName contains `q` (case-insensitive), in displayName order. */
  async list(ctx: Ctx, q: string | null, page: PageRequest): Promise<Page<GroupSummary>> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    const rows = await withDb(() =>
      this.repo.groupsPage(this.ds.manager, {
        pattern: q ? likePattern(q) : null,
        after,
        limit: page.limit + 1,
        scope: scopeOf(ctx),
      }),
    );
    const items = rows.slice(0, page.limit);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1].key) : null };
  }

  async get(ctx: Ctx, id: string): Promise<GroupSummary> {
    const group = isUuid(id) ? await withDb(() => this.repo.group(this.ds.manager, id, scopeOf(ctx))) : null;
    if (!group) throw new NotFoundError("Group", id);
    return group;
  }

  /** A page of a group's members in id order, only those within the actor's scope. */
  async members(ctx: Ctx, groupId: string, page: PageRequest): Promise<Page<MemberSummary>> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor, isUuid);
    await this.groups.get(groupId); // not found first; its member count is not needed here
    const rows = await withDb(() =>
      this.repo.membersPage(this.ds.manager, groupId, after, page.limit + 1, scopeOf(ctx)),
    );
    const items = rows.slice(0, page.limit);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  /** Adds people to a group: all of them or none (an id naming no live person within the actor's scope is not found). */
  async addMembers(
    ctx: Ctx,
    groupId: string,
    userIds: string[],
    opts: GroupWriteOptions = {},
  ): Promise<MembershipResult> {
    const ids = distinctIds(userIds);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const group = await this.lockGroup(tx, groupId);
      const reachable = await this.users.lockLiveWithin(tx.manager, ids.filter(isUuid), scopeOf(ctx));
      const missing = ids.find((id) => !reachable.has(id));
      if (missing) throw new NotFoundError("User", missing);
      for (const [i, id] of ids.entries()) assertMay(ctx, "memberships", reachable.get(id)!, `ids[${i}]`);
      const result = await this.groups.changeMembersIn(tx, group, [{ op: "add", ids }], opts);
      const added = new Set(result.added ?? []);
      return {
        groupId: group.id,
        version: result.group.version,
        added: ids.filter((id) => added.has(id)),
        alreadyMembers: ids.filter((id) => !added.has(id)),
      };
    });
  }

  /**
   * Adds people named as an admin types them: each a userName or an email (case-insensitive). A name that matches no live
   * person within the actor's reach is InvalidError on `field` (someone out of scope is not told apart from nobody); one
   * matching several people (an email that is another's userName) asks for the userName. Then as addMembers.
   */
  async addMembersNamed(
    ctx: Ctx,
    groupId: string,
    names: string[],
    opts: GroupWriteOptions = {},
    field = "members",
  ): Promise<MembershipResult> {
    const wanted = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
    if (wanted.length === 0) throw new InvalidError(field, "name at least one person (a userName or an email)");
    if (wanted.length > MAX_NAMED) throw new InvalidError(field, `name at most ${MAX_NAMED} people at once`);
    const lower = wanted.map((n) => n.toLowerCase());
    const found = await withDb(() => this.users.liveMatching(this.ds.manager, lower, lower));
    const reachable = found.filter((u) => inScope(ctx, u.account.entityId));
    const ids = wanted.map((name) => {
      const n = name.toLowerCase();
      const byUserName = reachable.filter((u) => u.userName.toLowerCase() === n);
      const hits = byUserName.length > 0 ? byUserName : reachable.filter((u) => holdsEmail(u.emails, n));
      if (hits.length === 0) throw new InvalidError(field, `'${name}' names no person you may reach`);
      if (hits.length > 1) throw new InvalidError(field, `'${name}' is the email of several people: give a userName`);
      return hits[0].id;
    });
    return this.addMembers(ctx, groupId, ids, opts);
  }

  /** Takes one person out of a group; someone who is not a member, or out of the actor's scope, is not found. */
  async removeMember(ctx: Ctx, groupId: string, userId: string, opts: GroupWriteOptions = {}): Promise<void> {
    const id = userId.toLowerCase();
    await unitOfWork(this.ds, ctx, async (tx) => {
      const group = await this.lockGroup(tx, groupId);
      const target = isUuid(id) ? (await this.users.lockLiveWithin(tx.manager, [id], scopeOf(ctx))).get(id) : undefined;
      if (!target) throw new NotFoundError("User", userId);
      assertMay(ctx, "memberships", target, "userId");
      const result = await this.groups.changeMembersIn(tx, group, [{ op: "remove", ids: [id] }], opts);
      if (!result.changed) throw new NotFoundError("Member", `${userId} of group ${group.id}`);
    });
  }

  /**
   * The groups a person is created into, checked up front (a read, for a batch: once for all its lines). An id naming no
   * group is InvalidError on `<field>[i]`, i its position in the request.
   */
  async assertGroups(groupIds: string[], field = "groups"): Promise<void> {
    const found = await withDb(() => this.repo.existingGroups(this.ds.manager, distinctIds(groupIds).filter(isUuid)));
    const bad = groupIds.findIndex((id) => !found.has(id.toLowerCase()));
    if (bad >= 0) throw new InvalidError(`${field}[${bad}]`, `'${groupIds[bad]}' names no group`);
  }

  /** The ids of groups named by display name (case-insensitive): lower(name) -> id, for the names that name a group. */
  idsByName(names: string[]): Promise<Map<string, string>> {
    const keys = [...new Set(names.map((n) => n.toLowerCase()))];
    return keys.length ? withDb(() => this.repo.idsByName(this.ds.manager, keys)) : Promise.resolve(new Map());
  }

  /** Locks the groups a person is being created into (before the person is written: groups, then users). */
  async lockForJoinIn(tx: TxCtx, groupIds: string[], field = "groups"): Promise<Group[]> {
    const locked = await this.groups.lockIn(tx, groupIds);
    const bad = locked.indexOf(null);
    if (bad >= 0) throw new InvalidError(`${field}[${bad}]`, `'${groupIds[bad]}' names no group`);
    return [...new Map(locked.map((g) => [g!.id, g!])).values()];
  }

  /** Makes a new person a member of groups lockForJoinIn locked, in the same transaction; returns them as User.groups shows them. */
  async joinIn(tx: TxCtx, groups: Group[], userId: string): Promise<UserGroup[]> {
    for (const group of groups) await this.groups.changeMembersIn(tx, group, [{ op: "add", ids: [userId] }]);
    return groups.map((g) => ({ id: g.id, display: g.displayName }));
  }

  private async lockGroup(tx: TxCtx, groupId: string): Promise<Group> {
    const [group] = await this.groups.lockIn(tx, [groupId]);
    if (!group) throw new NotFoundError("Group", groupId);
    return group;
  }
}

const MAX_NAMED = 1000;
const holdsEmail = (emails: MultiValue[], lower: string) =>
  emails.some((e) => typeof e.value === "string" && e.value.toLowerCase() === lower);
const distinctIds = (ids: string[]) => [...new Set(ids.map((id) => id.toLowerCase()))];
