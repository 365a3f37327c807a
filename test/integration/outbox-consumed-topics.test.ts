import { startMailingApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";
import { invitedPerson } from "../support/invitation-links";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

// Decision 0156: a change queues an outbox job only for a topic a side module consumes (CONSUMED_TOPICS); the feed
// (`events`) and the audit log are written for every change, as before. Real PostgreSQL, the real worker, real SMTP.
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp());
});
afterAll(async () => t.close());

const feedOf = (id: string) =>
  t.ds.query("SELECT type, door, request_id FROM events WHERE subject_id = $1 ORDER BY seq", [id]);
const auditsOf = (id: string) =>
  t.ds.query("SELECT action, door, request_id FROM audit_events WHERE target_id = $1 ORDER BY id", [id]);
const queuedFor = (key: string, id: string) =>
  t.ds.query("SELECT topic, processed_at FROM outbox WHERE payload->>$1 = $2 ORDER BY id", [key, id]);

describe("the outbox queues only what a side module consumes", () => {
  it("a SCIM create and update: a feed event and an audit record each, with the request's id, and no outbox row", async () => {
    const created = await t.scim.post("/Users", buildScimUser()).set("X-Request-Id", "consumed-create-1").expect(201);
    const id = created.body.id as string;
    await t.scim
      .patch(`/Users/${id}`, patchOp({ op: "replace", path: "title", value: "Engineer" }))
      .set("X-Request-Id", "consumed-update-1")
      .expect(200);
    expect(await feedOf(id)).toEqual([
      { type: "user.created", door: "scim", request_id: "consumed-create-1" },
      { type: "user.updated", door: "scim", request_id: "consumed-update-1" },
    ]);
    expect(await auditsOf(id)).toEqual([
      { action: "user.created", door: "scim", request_id: "consumed-create-1" },
      { action: "user.updated", door: "scim", request_id: "consumed-update-1" },
    ]);
    expect(await queuedFor("userId", id)).toEqual([]);
  });

  it("a group with a member: group.created and membership.added in the feed, nothing in the outbox", async () => {
    const member = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id as string;
    const group = (
      await t.scim
        .post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName(), members: [{ value: member }] })
        .expect(201)
    ).body.id as string;
    expect((await feedOf(group)).map((e: { type: string }) => e.type)).toEqual(["group.created", "membership.added"]);
    expect(await queuedFor("groupId", group)).toEqual([]);
  });

  it("a deactivation still queues user.deactivated, and its consumer runs: the open invitation is revoked", async () => {
    const p = await invitedPerson(t, sink);
    await t.admin.post(`/users/${p.id}/deactivate`).set("X-Request-Id", "consumed-leave-1").expect(200);
    await eventually(
      async () => {
        const jobs = await queuedFor("userId", p.id);
        return jobs.length === 2 && jobs.every((j: { processed_at: Date | null }) => j.processed_at !== null);
      },
      10_000,
      "the invitation and the leave handled",
    );
    expect((await queuedFor("userId", p.id)).map((j: { topic: string }) => j.topic)).toEqual([
      "invitation.requested",
      "user.deactivated",
    ]);
    const [invitation] = await t.ds.query("SELECT revoked_at FROM invitations WHERE user_id = $1", [p.id]);
    expect(invitation.revoked_at).not.toBeNull();
    // the platform sees the creation and the leave in the feed, whatever the outbox holds
    expect((await feedOf(p.id)).map((e: { type: string }) => e.type)).toEqual(["user.created", "user.deactivated"]);
  });
});
