import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { diffFields } from "../audit";
import type { Ctx, TxCtx } from "../context";
import type { Effects } from "../effects";
import { NotFoundError, PreconditionFailedError } from "../errors";
import { recordIn, unitOfWork, withDb, writeIn } from "../unit-of-work";
import type { ListQuery } from "../users/users.repository";
import type { Keyset, KeysetPage } from "../keyset";
import type { Group, GroupFields, GroupResult, Member, MemberOp } from "./group";
import { GroupsRepository } from "./groups.repository";
import { assertValidGroup, auditView } from "./groups.rules";
import { MembersRepository } from "./members.repository";
import { type MemberChanges, applyMemberOps, hasMemberChanges, membershipEffects } from "./memberships";

export interface GroupWriteOptions {
  /** Versions the caller accepts (If-Match); any other current version is PreconditionFailedError. */
  ifMatch?: number[];
}

/** A change to a group: new fields computed from the current ones (under the row lock), and member operations. */
export interface GroupChange {
  fields?: (current: Group) => GroupFields | Promise<GroupFields>;
  members: MemberOp[];
}

/** Members fetched per round trip when a group's member list is read. */
export const MEMBER_PAGE_SIZE = 1000;

/**
 * The group use cases every door shares. Each write holds the group's row lock for its transaction, so
 * version, lastModified and the order of audit records agree, and concurrent member changes all apply.
 */
export class GroupsService {
  private readonly repo = new GroupsRepository();
  private readonly members = new MembersRepository();

  constructor(private readonly ds: DataSource) {}

  /** Creates a group with its initial members (unknown ids skipped and audited). */
  async create(ctx: Ctx, fields: GroupFields, memberIds: string[] = []): Promise<GroupResult> {
    fields = { displayName: fields.displayName, externalId: fields.externalId };
    assertValidGroup(fields);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const id = randomUUID();
      const created = await writeIn<Group>(tx, this.repo.insert(id, fields), {
        audits: [
          { action: "group.created", subject: { type: "group", id }, changes: diffFields({}, auditView(fields)) },
        ],
        events: [{ topic: "group.created", payload: { groupId: id } }],
      });
      const changes = await applyMemberOps(tx.manager, id, memberIds.length ? [{ op: "add", ids: memberIds }] : []);
      await recordIn(tx, membershipEffects(id, changes));
      return { group: created!, changed: true, skippedMembers: changes.skipped, members: changes.known };
    });
  }

  async get(id: string): Promise<Group> {
    const group = await withDb(() => this.repo.findById(this.ds.manager, id));
    if (!group) throw new NotFoundError("Group", id);
    return group;
  }

  async list(query: ListQuery): Promise<{ total: number; groups: Group[] }> {
    return withDb(() => this.repo.list(this.ds.manager, query));
  }

  /** A keyset page of groups (RFC 9865 cursors); the total is counted for the first page only, as for users. */
  async page(query: ListQuery, keyset: Keyset): Promise<KeysetPage<Group> & { total?: number }> {
    const page = await withDb(() => this.repo.page(this.ds.manager, query, keyset));
    if (keyset.position) return page;
    const { total } = await withDb(() => this.repo.list(this.ds.manager, { ...query, offset: 0, limit: 0 }));
    return { ...page, total };
  }

  /**
   * The members of a group, a page of MEMBER_PAGE_SIZE at a time (keyset batches), so a reader never holds more
   * than one page of a 100,000-member group. Each page is its own snapshot: the whole list is not one.
   */
  async *memberPages(groupId: string, pageSize = MEMBER_PAGE_SIZE): AsyncGenerator<Member[]> {
    let after: string | null = null;
    do {
      const page: { members: Member[]; last: string | null } = await withDb(() =>
        this.members.page(this.ds.manager, groupId, after, pageSize),
      );
      if (page.members.length) yield page.members;
      after = page.last;
    } while (after !== null);
  }

  /** PATCH and PUT: field changes and member set operations in one transaction, under the group's row lock. */
  async update(ctx: Ctx, id: string, change: GroupChange, opts: GroupWriteOptions = {}): Promise<GroupResult> {
    return unitOfWork(this.ds, ctx, async (tx) => {
      const current = checkVersion(await this.repo.lockById(tx.manager, id), id, opts);
      const next = change.fields ? await change.fields(current) : current;
      return this.write(tx, current, { displayName: next.displayName, externalId: next.externalId }, change.members);
    });
  }

  /**
   * Locks groups for the caller's transaction, in id order (two writers of several groups never deadlock), the way a
   * PATCH locks its group. Answers in the order of `ids`, null for an id naming no group.
   */
  async lockIn(tx: TxCtx, ids: string[]): Promise<(Group | null)[]> {
    const locked = new Map((await this.repo.lockByIds(tx.manager, ids)).map((g) => [g.id, g]));
    return ids.map((id) => locked.get(id.toLowerCase()) ?? null);
  }

  /**
   * Member operations on a group the caller's transaction has locked (lockIn), written exactly as a SCIM PATCH writes
   * them: set operations in SQL, then membership.* audit records and outbox events with the group's new version.
   */
  async changeMembersIn(
    tx: TxCtx,
    locked: Group,
    members: MemberOp[],
    opts: GroupWriteOptions = {},
  ): Promise<GroupResult> {
    checkVersion(locked, locked.id, opts);
    return this.write(tx, locked, locked, members);
  }

  /** Hard delete: the group and its memberships go; the audit keeps its name and member count. */
  async remove(ctx: Ctx, id: string, opts: GroupWriteOptions = {}): Promise<void> {
    await unitOfWork(this.ds, ctx, async (tx: TxCtx) => {
      const current = checkVersion(await this.repo.lockById(tx.manager, id), id, opts);
      const memberCount = await this.members.count(tx.manager, id);
      await writeIn(tx, this.repo.delete(id), {
        audits: [
          {
            action: "group.deleted",
            subject: { type: "group", id },
            changes: { ...diffFields(auditView(current), {}), memberCount },
          },
        ],
        events: [{ topic: "group.deleted", payload: { groupId: id, displayName: current.displayName } }],
      });
    });
  }

  /** The one write of a locked group: fields and members, their audit and outbox rows; nothing but a skip record when nothing changed. */
  private async write(tx: TxCtx, current: Group, fields: GroupFields, ops: MemberOp[]): Promise<GroupResult> {
    assertValidGroup(fields);
    const fieldChanges = diffFields(auditView(current), auditView(fields));
    const members = await applyMemberOps(tx.manager, current.id, ops);
    const effects = updateEffects(current.id, fieldChanges, members);
    if (Object.keys(fieldChanges).length === 0 && !hasMemberChanges(members)) {
      await recordIn(tx, effects);
      return {
        group: current,
        changed: false,
        skippedMembers: members.skipped,
        members: members.known,
        added: members.added,
      };
    }
    const group = await writeIn<Group>(tx, this.repo.update(current.id, fields), effects);
    return {
      group: group!,
      changed: true,
      skippedMembers: members.skipped,
      members: members.known,
      added: members.added,
    };
  }
}

function checkVersion(group: Group | null, id: string, opts: GroupWriteOptions): Group {
  if (!group) throw new NotFoundError("Group", id);
  if (opts.ifMatch && !opts.ifMatch.includes(group.version)) throw new PreconditionFailedError(group.version);
  return group;
}

function updateEffects(id: string, fieldChanges: Record<string, unknown>, members: MemberChanges): Effects {
  const effects = membershipEffects(id, members);
  if (Object.keys(fieldChanges).length > 0) {
    effects.audits.unshift({ action: "group.updated", subject: { type: "group", id }, changes: fieldChanges });
    effects.events.unshift({ topic: "group.updated", payload: { groupId: id, fields: Object.keys(fieldChanges) } });
  }
  return effects;
}
