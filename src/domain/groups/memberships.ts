import type { EntityManager } from "typeorm";
import type { Effects } from "../effects";
import { recordIn } from "../unit-of-work";
import { InvalidError } from "../errors";
import { isUuid } from "../ids";
import type { UserHooks } from "../users/user-hooks";
import type { TxCtx } from "../context";
import type { Member, MemberOp } from "./group";
import type { GroupsService } from "./groups.service";
import { splitMemberIds } from "./groups.rules";
import { MembersRepository } from "./members.repository";

/** What a list of member operations did: only the ids it touched, never the whole member list. */
export interface MemberChanges {
  added: string[];
  removed: string[];
  /** Members dropped by a remove-all (counted, not listed). */
  removedAll: number;
  /** Ids the request named that are not live users (or not uuids): never stored, audited. */
  skipped: string[];
  /** Members the add/replace operations named that exist (for create and PUT responses). */
  known: Member[];
}

const repo = new MembersRepository();

export const hasMemberChanges = (c: MemberChanges) => c.added.length > 0 || c.removed.length > 0 || c.removedAll > 0;

/** Applies the operations in order, each as set operations in SQL, inside the caller's transaction (group row locked). */
export async function applyMemberOps(m: EntityManager, groupId: string, ops: MemberOp[]): Promise<MemberChanges> {
  const c: MemberChanges = { added: [], removed: [], removedAll: 0, skipped: [], known: [] };
  for (const op of ops) {
    if (op.op === "removeAll") {
      c.removedAll += await repo.removeAll(m, groupId);
      continue;
    }
    const { uuids, invalid } = splitMemberIds(op.ids);
    c.skipped.push(...invalid);
    if (op.op === "remove") {
      c.removed.push(...(await repo.remove(m, groupId, uuids)));
      continue;
    }
    if (op.op === "replace") c.removed.push(...(await repo.removeAllBut(m, groupId, uuids)));
    const { known, added } = await repo.add(m, groupId, uuids);
    c.added.push(...added);
    c.known.push(...known);
    if (known.length < uuids.length) c.skipped.push(...(await unknownUsers(m, uuids, known)));
  }
  c.skipped = [...new Set(c.skipped)];
  return c;
}

/** Ids naming no live user; a group id among them is refused (nested groups are not supported) and rolls everything back. */
async function unknownUsers(m: EntityManager, requested: string[], known: Member[]): Promise<string[]> {
  const found = new Set(known.map((k) => k.id));
  const unknown = requested.filter((id) => !found.has(id));
  const groups = await repo.groupIds(m, unknown);
  if (groups.length > 0)
    throw new InvalidError(
      "members",
      `'${groups[0]}' is a group: nested groups are not supported, members must be users`,
    );
  return unknown;
}

/** membership.added / membership.removed audit records and outbox events for one group; skipped ids ride on the audit. */
export function membershipEffects(groupId: string, changes: MemberChanges): Effects {
  // In id order, whatever order the database returned them in: the same change always reads the same.
  const c = {
    ...changes,
    added: [...changes.added].sort(),
    removed: [...changes.removed].sort(),
    skipped: [...changes.skipped].sort(),
  };
  const effects: Effects = { audits: [], events: [] };
  const subject = { type: "group" as const, id: groupId };
  const skipped = c.skipped.length ? { skippedMembers: c.skipped } : {};
  if (c.removed.length || c.removedAll) {
    const all = c.removedAll ? { removedAll: c.removedAll } : {};
    effects.audits.push({ action: "membership.removed", subject, changes: { members: c.removed, ...all } });
    effects.events.push({ topic: "membership.removed", payload: { groupId, userIds: c.removed, ...all } });
  }
  if (c.added.length) {
    effects.audits.push({ action: "membership.added", subject, changes: { members: c.added, ...skipped } });
    effects.events.push({ topic: "membership.added", payload: { groupId, userIds: c.added } });
  } else if (c.skipped.length) {
    // Nothing was added, but the skip is still on record, with the request id.
    effects.audits.push({ action: "membership.skipped", subject, changes: skipped });
  }
  return effects;
}

/**
 * Takes the locks of a user's SCIM DELETE before the user row's: the groups it belongs to, in id order. A group
 * PATCH adding that user holds its group and then waits for the user, so this order never deadlocks with it.
 * Their version and lastModified move on, as their member lists change.
 */
export async function lockGroupsOfUserIn(tx: TxCtx, userId: string): Promise<void> {
  if (!isUuid(userId)) return;
  await repo.touchGroupsOf(tx.manager, userId);
}

/** Removes a removed user from every group, with a membership.removed audit record and event per group. */
export async function detachUserIn(tx: TxCtx, userId: string): Promise<void> {
  if (!isUuid(userId)) return;
  const groupIds = await repo.removeUser(tx.manager, userId);
  const effects: Effects = { audits: [], events: [] };
  for (const groupId of groupIds) {
    effects.audits.push({
      action: "membership.removed",
      subject: { type: "group", id: groupId },
      changes: { members: [userId], reason: "user.deleted" },
    });
    effects.events.push({
      topic: "membership.removed",
      payload: { groupId, userIds: [userId], reason: "user.deleted" },
    });
  }
  await recordIn(tx, effects);
}

/** A SCIM DELETE's part in groups, handed to UsersService by the composition root: lock the user's groups, then leave them. */
export const groupsOnUserRemoval: UserHooks["removal"] = { lockIn: lockGroupsOfUserIn, removedIn: detachUserIn };

/**
 * A restored account's part in groups (UserHooks["restore"]): the groups a SCIM DELETE made it leave are locked before
 * the user row, then joined again (a membership.added record and event each, as a SCIM PATCH's); a group deleted since
 * is skipped.
 */
export const groupsOnUserRestore = (
  groups: Pick<GroupsService, "lockIn" | "changeMembersIn">,
): UserHooks["restore"] => ({
  lockIn: async (tx, groupIds) => {
    await groups.lockIn(tx, groupIds.filter(isUuid));
  },
  rejoinIn: async (tx, userId, groupIds) => {
    for (const group of await groups.lockIn(tx, groupIds.filter(isUuid))) {
      if (group) await groups.changeMembersIn(tx, group, [{ op: "add", ids: [userId] }]);
    }
  },
});
