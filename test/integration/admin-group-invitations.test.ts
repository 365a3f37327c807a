import { entity, person, scopedAdmin } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { CollectingSms, invitationsOf, setCommunication } from "../support/delivery";
import { memberIds, scimGroup } from "../support/group-fixtures";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

/** POST /admin/v1/groups/{id}/invitations: people invited into a space, external people created on the way. */
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({}, { sms: new CollectingSms() }));
});
afterAll(async () => t.close());
beforeEach(async () => setCommunication(t));

let n = 0;
/** A unique address whose local part stays as given (names are read from a first.last one). */
const address = (local = "guest") => `${local}@p${Date.now().toString(36)}${++n}.partner.test`;
const inviteInto = (groupId: string, body: Record<string, unknown>) =>
  t.admin.post(`/groups/${groupId}/invitations`, body);
const mailTo = (to: string) =>
  eventually(async () => sink.mails.find((m) => m.to.includes(to.toLowerCase())) ?? null, 10_000, `mail to ${to}`).then(
    (m) => m!,
  );
const usersWithEmail = async (email: string) =>
  (await t.ds.query("SELECT id FROM users WHERE roster_lower_values(emails) && ARRAY[lower($1)]", [email])).map(
    (r: { id: string }) => r.id,
  );

describe("a new address", () => {
  it("creates an external person, member of the space, invited naming the space, in one transaction; the mail names it", async () => {
    const space = await scimGroup(t, `Partners ${Date.now()}`);
    const email = address("ada.lovelace");
    const res = await inviteInto(space, { email }).expect(201);
    expect(res.body).toMatchObject({
      outcome: "created",
      membership: "added",
      person: { email, external: true, givenName: "Ada", familyName: "Lovelace", source: "admin" },
      invitation: { status: "queued", space: expect.stringMatching(/^Partners /), door: "admin" },
    });
    expect(res.body.group.id).toBe(space);
    expect(res.headers.location).toBe(`/admin/v1/users/${res.body.person.id}`);
    expect(res.body.person.groups.map((g: { id: string }) => g.id)).toEqual([space]);
    expect(await memberIds(t, space)).toEqual([res.body.person.id]);
    const mail = await mailTo(email);
    expect(mail.subject).toBe(`You are invited to ${res.body.group.displayName} on Roster`);
    expect(mail.text).toContain(`join the space "${res.body.group.displayName}" on Roster`);
    expect(mail.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const audit = await t.ds.query("SELECT action, changes FROM audit_events WHERE target_id IN ($1, $2) ORDER BY id", [
      res.body.person.id,
      space,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(["user.created", "membership.added", "user.invited"]),
    );
    expect(audit.find((a: { action: string }) => a.action === "user.invited").changes.space).toEqual({
      before: null,
      after: res.body.group.displayName,
    });
  });

  it("refused invitation (email off: the new person could not be reached) creates nothing: no person, no membership", async () => {
    const space = await scimGroup(t);
    await setCommunication(t, { channels: { email: false } });
    const email = address("grace.hopper");
    expect((await inviteInto(space, { email }).expect(409)).body.code).toBe("no_contact");
    expect(await usersWithEmail(email)).toEqual([]);
    expect(await memberIds(t, space)).toEqual([]);
  });

  it("an address names cannot be read from invites the person anyway: names are asked for when they join", async () => {
    const space = await scimGroup(t);
    const email = address("x");
    const res = await inviteInto(space, { email }).expect(201);
    const person = res.body.person;
    expect(person).toMatchObject({ userName: email, email, external: true });
    expect([person.givenName ?? null, person.familyName ?? null]).toEqual([null, null]);
    expect(await memberIds(t, space)).toEqual([person.id]);
  });

  it("holds the manual policy and names the field: a bad address, names given too short, an unknown body field", async () => {
    const space = await scimGroup(t);
    expect((await inviteInto(space, { email: "not-an-address" }).expect(400)).body.field).toBe("email");
    expect(
      (await inviteInto(space, { email: address(), givenName: "Al", familyName: "Turing" }).expect(400)).body.field,
    ).toBe("givenName");
    expect(
      (
        await inviteInto(space, {
          email: address(),
          language: "français",
          givenName: "Alan",
          familyName: "Turing",
        }).expect(400)
      ).body.field,
    ).toBe("language");
    expect((await inviteInto(space, { email: address(), role: "admin" }).expect(400)).body.code).toBe(
      "invalid_request",
    );
    expect((await inviteInto(space, {}).expect(400)).body.field).toBe("email");
    expect(await memberIds(t, space)).toEqual([]);
  });

  it("an unknown group is 404 (nothing created); auditors cannot invite", async () => {
    const email = address("linus.torvalds");
    expect((await inviteInto("00000000-0000-4000-8000-00000000beef", { email }).expect(404)).body.code).toBe(
      "not_found",
    );
    await inviteInto("not-a-uuid", { email }).expect(404);
    expect(await usersWithEmail(email)).toEqual([]);
    const auditor = t.adminAs(await t.token("auditor"));
    expect((await auditor.post(`/groups/${await scimGroup(t)}/invitations`, { email }).expect(403)).body.code).toBe(
      "read_only",
    );
  });

  it("two identical invitations at once create one person: the other invites that person", async () => {
    const space = await scimGroup(t);
    const email = address("margaret.hamilton");
    const [a, b] = await Promise.all([inviteInto(space, { email }), inviteInto(space, { email })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(["created", "invited"]);
    expect(await usersWithEmail(email)).toHaveLength(1);
    expect(await memberIds(t, space)).toHaveLength(1);
  });
});

describe("an address a live person holds", () => {
  it("who has not joined: added to the space and sent a new invitation naming it (the earlier link is revoked)", async () => {
    const space = await scimGroup(t, `Board ${Date.now()}`);
    const p = await person(t, { invite: "now" });
    await mailTo(p.email);
    const res = await inviteInto(space, { email: p.email.toUpperCase() }).expect(200);
    expect(res.body).toMatchObject({
      outcome: "invited",
      membership: "added",
      person: { id: p.id, external: false },
      invitation: { space: expect.stringMatching(/^Board /) },
    });
    const rows = await invitationsOf(t, p.id);
    expect(rows.map((r) => [r.space_name !== null, r.revoked_at !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
    const second = await eventually(
      async () => sink.mails.filter((m) => m.to.includes(p.email.toLowerCase()))[1],
      10_000,
      "second mail",
    );
    expect(second.subject).toMatch(/^You are invited to Board /);
    // Already a member: says so, and invites again.
    expect((await inviteInto(space, { email: p.email }).expect(200)).body).toMatchObject({
      outcome: "invited",
      membership: "already_member",
    });
    expect(await memberIds(t, space)).toEqual([p.id]);
  });

  it("who has joined: only the membership, no invitation", async () => {
    const space = await scimGroup(t);
    const p = await person(t);
    await t.ds.query("UPDATE users SET enrolled_at = now() WHERE id = $1", [p.id]);
    const res = await inviteInto(space, { email: p.email }).expect(200);
    expect(res.body).toMatchObject({ outcome: "added", membership: "added", invitation: null });
    expect(await invitationsOf(t, p.id)).toEqual([]);
    expect(await memberIds(t, space)).toEqual([p.id]);
  });

  it("who is deactivated: refused (409 user_inactive), not added", async () => {
    const space = await scimGroup(t);
    const p = await person(t);
    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    expect((await inviteInto(space, { email: p.email }).expect(409)).body.code).toBe("user_inactive");
    expect(await memberIds(t, space)).toEqual([]);
  });
});

describe("an admin limited to some entities", () => {
  it("places the new person in one of their entities, and cannot reach a person outside them (409 as for a taken address)", async () => {
    const mine = await entity(t, `Mine ${Date.now()}`);
    const limited = await scopedAdmin(t, [mine]);
    const space = await scimGroup(t);
    const email = address("hedy.lamarr");
    expect((await limited.client.post(`/groups/${space}/invitations`, { email }).expect(403)).body).toMatchObject({
      code: "out_of_scope",
      field: "entityId",
    });
    const ok = await limited.client.post(`/groups/${space}/invitations`, { email, entityId: mine }).expect(201);
    expect(ok.body.person.entity.id).toBe(mine);
    const outsider = await person(t);
    expect(
      (await limited.client.post(`/groups/${space}/invitations`, { email: outsider.email }).expect(409)).body.code,
    ).toBe("email_taken");
    expect(await memberIds(t, space)).toEqual([ok.body.person.id]);
  });
});
