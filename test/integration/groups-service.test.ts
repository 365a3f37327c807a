import { randomUUID } from "node:crypto";
import type { Ctx, Door } from "../../src/domain/context";
import { InvalidError, NotFoundError, PreconditionFailedError } from "../../src/domain/errors";
import { emptyProfile } from "../../src/domain/users/user";
import { startTestApp, type TestApp } from "../support/app";
import { uniqueGroupName, uniqueName } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const ctx: Ctx = { actor: { type: "system", id: null, name: "test" }, door: "admin", requestId: "req-groups-1" };
const count = async (table: string) => Number((await t.ds.query(`SELECT count(*) FROM ${table}`))[0].count);
const newUser = async () => t.services.users.create(ctx, { profile: emptyProfile(uniqueName()) }, "admin");
const memberIds = async (groupId: string) => {
  const ids: string[] = [];
  for await (const page of t.services.groups.memberPages(groupId)) ids.push(...page.map((m) => m.id));
  return ids.sort();
};
const audits = (groupId: string) =>
  t.ds.query(
    "SELECT action, changes, request_id FROM audit_events WHERE target_type = 'group' AND target_id = $1 ORDER BY id",
    [groupId],
  );

describe("GroupsService", () => {
  it("writes nothing at all when the audit record cannot be written", async () => {
    const before = await Promise.all(["groups", "group_members", "audit_events", "events", "outbox"].map(count));
    const badCtx = { ...ctx, door: "carrier-pigeon" as Door };
    const u = await newUser();
    const mid = await Promise.all(["groups", "group_members", "audit_events", "events", "outbox"].map(count));
    await expect(
      t.services.groups.create(badCtx, { displayName: uniqueGroupName(), externalId: null }, [u.id]),
    ).rejects.toThrow();
    expect(await Promise.all(["groups", "group_members", "audit_events", "events", "outbox"].map(count))).toEqual(mid);
    expect(mid[0]).toBe(before[0]);
  });

  it("skips unknown and non-uuid member ids, applies the known ones, and audits the skip with the request id", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const ghost = randomUUID();
    const { group, skippedMembers } = await t.services.groups.create(
      ctx,
      { displayName: uniqueGroupName(), externalId: "x1" },
      [a.id, ghost, "not-a-uuid"],
    );
    expect(skippedMembers.sort()).toEqual([ghost, "not-a-uuid"].sort());
    expect(await memberIds(group.id)).toEqual([a.id]);
    const result = await t.services.groups.update(ctx, group.id, {
      members: [{ op: "add", ids: [b.id.toUpperCase(), ghost] }],
    });
    expect(result.skippedMembers).toEqual([ghost]);
    expect(await memberIds(group.id)).toEqual([a.id, b.id].sort());
    const rows = await audits(group.id);
    expect(rows.map((r: { action: string }) => r.action)).toEqual([
      "group.created",
      "membership.added",
      "membership.added",
    ]);
    expect(rows[1]).toMatchObject({
      request_id: "req-groups-1",
      changes: { members: [a.id], skippedMembers: expect.arrayContaining([ghost, "not-a-uuid"]) },
    });
    expect(rows[2].changes).toEqual({ members: [b.id], skippedMembers: [ghost] });
  });

  it("a request whose only member ids are unknown changes nothing but still audits the skip", async () => {
    const { group } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null });
    const ghost = randomUUID();
    const result = await t.services.groups.update(ctx, group.id, { members: [{ op: "add", ids: [ghost] }] });
    expect(result.changed).toBe(false);
    expect(result.group.version).toBe(1);
    const rows = await audits(group.id);
    expect(rows.at(-1)).toMatchObject({
      action: "membership.skipped",
      changes: { skippedMembers: [ghost] },
      request_id: "req-groups-1",
    });
  });

  it("refuses a member that is a group (nested groups are not supported) and changes nothing of the request", async () => {
    const a = await newUser();
    const { group: other } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null });
    const { group } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null });
    const attempt = t.services.groups.update(ctx, group.id, {
      fields: (c) => ({ ...c, displayName: `${c.displayName} renamed` }),
      members: [{ op: "add", ids: [a.id, other.id] }],
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidError);
    await expect(attempt).rejects.toThrow(/nested groups/);
    expect(await memberIds(group.id)).toEqual([]);
    expect((await t.services.groups.get(group.id)).displayName).toBe(group.displayName);
  });

  it("records membership.added/removed with only the ids touched, and their feed events, in one transaction with the change", async () => {
    const users = [await newUser(), await newUser(), await newUser()];
    const { group } = await t.services.groups.create(
      ctx,
      { displayName: uniqueGroupName(), externalId: null },
      users.map((u) => u.id),
    );
    const result = await t.services.groups.update(ctx, group.id, {
      fields: (c) => ({ ...c, externalId: "ext-2" }),
      members: [{ op: "remove", ids: [users[0].id] }],
    });
    expect(result.group.version).toBe(2);
    const rows = await audits(group.id);
    expect(rows.slice(-2).map((r: { action: string; changes: unknown }) => [r.action, r.changes])).toEqual([
      ["group.updated", { externalId: { before: null, after: "ext-2" } }],
      ["membership.removed", { members: [users[0].id] }],
    ]);
    const events = await t.ds.query(
      "SELECT type, data, door, request_id FROM events WHERE subject_id = $1 ORDER BY seq",
      [group.id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      "group.created",
      "membership.added",
      "group.updated",
      "membership.removed",
    ]);
    expect(events[3]).toMatchObject({ data: { userIds: [users[0].id] }, request_id: "req-groups-1", door: "admin" });
  });

  it("remove-all and replace are set operations: replace removes the members not listed and adds the missing ones", async () => {
    const users = [await newUser(), await newUser(), await newUser(), await newUser()];
    const { group } = await t.services.groups.create(
      ctx,
      { displayName: uniqueGroupName(), externalId: null },
      users.slice(0, 3).map((u) => u.id),
    );
    await t.services.groups.update(ctx, group.id, { members: [{ op: "replace", ids: [users[2].id, users[3].id] }] });
    expect(await memberIds(group.id)).toEqual([users[2].id, users[3].id].sort());
    const rows = await audits(group.id);
    expect(rows.slice(-2).map((r: { changes: { members: string[] } }) => r.changes.members.sort())).toEqual([
      [users[0].id, users[1].id].sort(),
      [users[3].id],
    ]);
    await t.services.groups.update(ctx, group.id, { members: [{ op: "removeAll" }] });
    expect(await memberIds(group.id)).toEqual([]);
    expect((await audits(group.id)).at(-1).changes).toEqual({ members: [], removedAll: 2 });
  });

  it("checks If-Match, answers NotFound for unknown ids, and deletes with the member count on record", async () => {
    const a = await newUser();
    const { group } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null }, [a.id]);
    await expect(t.services.groups.update(ctx, group.id, { members: [] }, { ifMatch: [9] })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(t.services.groups.remove(ctx, group.id, { ifMatch: [9] })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await t.services.groups.remove(ctx, group.id, { ifMatch: [1] });
    await expect(t.services.groups.get(group.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.services.groups.update(ctx, "nope", { members: [] })).rejects.toBeInstanceOf(NotFoundError);
    expect((await audits(group.id)).at(-1)).toMatchObject({ action: "group.deleted", changes: { memberCount: 1 } });
    expect(
      Number((await t.ds.query("SELECT count(*) FROM group_members WHERE group_id = $1", [group.id]))[0].count),
    ).toBe(0);
  });
});

describe("users and their memberships", () => {
  it("deactivation keeps memberships, so reactivation restores them", async () => {
    const a = await newUser();
    const { group } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null }, [a.id]);
    await t.services.users.update(ctx, a.id, (c) => ({ profile: { ...c, active: false } }));
    expect(await memberIds(group.id)).toEqual([a.id]);
    expect((await t.services.users.get(a.id)).groups).toEqual([{ id: group.id, display: group.displayName }]);
    await t.services.users.update(ctx, a.id, (c) => ({ profile: { ...c, active: true } }));
    expect(await memberIds(group.id)).toEqual([a.id]);
  });

  it("SCIM DELETE of a user removes it from every group in the same transaction, with membership.removed records", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const g1 = (await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null }, [a.id, b.id]))
      .group;
    const g2 = (await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null }, [a.id]))
      .group;
    await t.services.users.remove({ ...ctx, door: "scim" }, a.id);
    expect(await memberIds(g1.id)).toEqual([b.id]);
    expect(await memberIds(g2.id)).toEqual([]);
    for (const g of [g1, g2]) {
      expect((await audits(g.id)).at(-1)).toMatchObject({
        action: "membership.removed",
        changes: { members: [a.id], reason: "user.deleted" },
      });
      expect((await t.services.groups.get(g.id)).version).toBe(2);
    }
    const events = await t.ds.query(
      "SELECT type FROM events WHERE type = 'membership.removed' AND data->'userIds' ? $1",
      [a.id],
    );
    expect(events).toHaveLength(2);
  });

  it("a failed user DELETE (If-Match) keeps the memberships", async () => {
    const a = await newUser();
    const { group } = await t.services.groups.create(ctx, { displayName: uniqueGroupName(), externalId: null }, [a.id]);
    await expect(t.services.users.remove(ctx, a.id, { ifMatch: [42] })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await memberIds(group.id)).toEqual([a.id]);
    expect((await t.services.groups.get(group.id)).version).toBe(1);
  });

  it("a removed user cannot be added to a group: its id is skipped", async () => {
    const a = await newUser();
    await t.services.users.remove(ctx, a.id);
    const { group, skippedMembers } = await t.services.groups.create(
      ctx,
      { displayName: uniqueGroupName(), externalId: null },
      [a.id],
    );
    expect(skippedMembers).toEqual([a.id]);
    expect(await memberIds(group.id)).toEqual([]);
  });
});
