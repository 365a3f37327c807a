import { startMailingApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { authClient, invitedPerson, mailTo } from "../support/invitation-links";
import { eventually } from "../support/people";
import { invitationsOf, setCommunication } from "../support/delivery";
import type { SmtpSink } from "../support/smtp-sink";

// The lifecycle module: people who leave lose their open invitation links (user.deactivated / user.deleted); people an
// IdP created deactivated and switches on later are invited then, when the setting invites that IdP's people.
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ AUTH_RATE_LIMIT_PER_MINUTE: "100000" }));
});
afterAll(async () => t.close());

const statusOf = async (id: string) => (await t.admin.get(`/users/${id}/invitation`).expect(200)).body.status as string;
const revoked = (id: string) =>
  eventually(async () => (await statusOf(id)) === "revoked", 10_000, "invitation revoked");

describe("a person who leaves", () => {
  it("deactivated by an admin: the open invitation is revoked (audited), stays so after re-activation, and a resend works", async () => {
    const p = await invitedPerson(t, sink);
    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    await revoked(p.id);
    const audits = await t.ds.query(
      "SELECT actor_type, door, changes FROM audit_events WHERE action = 'invitation.revoked' AND target_id = $1",
      [p.id],
    );
    expect(audits).toEqual([
      { actor_type: "system", door: "system", changes: { openInvitations: { before: 1, after: 0 } } },
    ]);

    await t.admin.post(`/users/${p.id}/activate`).expect(200);
    expect(await statusOf(p.id)).toBe("revoked");
    expect((await authClient(t).link(p.token).expect(410)).body.code).toBe("invitation_revoked");

    await t.admin.post(`/users/${p.id}/invitation`).expect(202);
    const second = await mailTo(sink, p.email, 2);
    await authClient(t).accept(second.token!, "violet-harbour-41-tram").expect(200);
  });

  it("removed by the identity provider (SCIM DELETE): the open invitation is revoked", async () => {
    const created = (
      await t.scim.post("/Users", buildScimUser({ userName: `leaver.${Date.now()}@corp.test` })).expect(201)
    ).body;
    await t.admin.post(`/users/${created.id}/invitation`).expect(202);
    await mailTo(sink, created.userName);
    await t.scim.delete(`/Users/${created.id}`).expect(204);
    await eventually(
      async () => {
        const [row] = await t.ds.query("SELECT revoked_at FROM invitations WHERE user_id = $1", [created.id]);
        return row.revoked_at !== null;
      },
      10_000,
      "invitation revoked",
    );
  });

  it("a deactivation that is old news (the person is active again when it is handled) revokes nothing", async () => {
    const p = await invitedPerson(t, sink);
    const revokedNow = await t.services.invitations.revokeForLeaver(p.id, null);
    expect(revokedNow).toBe(0);
    expect(await statusOf(p.id)).toBe("pending");
  });
});

describe("a person the IdP creates deactivated and switches on later (a future hire)", () => {
  const activate = (id: string) =>
    t.scim.patch(`/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "True" }],
    });

  it("is invited on activation when the setting auto-invites SCIM people, once", async () => {
    await setCommunication(t, { autoInvite: { scim: true } });
    const created = (
      await t.scim
        .post("/Users", buildScimUser({ userName: `hire.${Date.now()}@corp.test`, active: false }))
        .expect(201)
    ).body;
    expect(await invitationsOf(t, created.id)).toEqual([]);
    await activate(created.id).expect((r) => expect([200, 204]).toContain(r.status));
    const mail = await mailTo(sink, created.userName);
    expect(mail.token).toBeTruthy();
    // Deactivated and switched on again: they were invited already, so nothing more is sent.
    await t.scim.patch(`/Users/${created.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: false }],
    });
    await activate(created.id);
    await eventually(
      async () =>
        (
          await t.ds.query(
            "SELECT count(*)::int AS n FROM outbox WHERE topic = 'user.reactivated' AND processed_at IS NULL",
          )
        )[0].n === 0,
      10_000,
      "activations handled",
    );
    expect((await invitationsOf(t, created.id)).length).toBe(1);
  });

  it("is not invited when the setting does not auto-invite SCIM people", async () => {
    await setCommunication(t, { autoInvite: { scim: false } });
    const created = (
      await t.scim
        .post("/Users", buildScimUser({ userName: `later.${Date.now()}@corp.test`, active: false }))
        .expect(201)
    ).body;
    await activate(created.id).expect((r) => expect([200, 204]).toContain(r.status));
    await eventually(
      async () =>
        (
          await t.ds.query(
            "SELECT count(*)::int AS n FROM outbox WHERE topic = 'user.reactivated' AND processed_at IS NULL",
          )
        )[0].n === 0,
      10_000,
      "activation handled",
    );
    expect(await invitationsOf(t, created.id)).toEqual([]);
  });
});
