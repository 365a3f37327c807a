import { personBody } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp());
});
afterAll(async () => t.close());

describe("an invitation asked for at creation", () => {
  it("is not there for a person created without one", async () => {
    const created = await t.admin.post("/users", personBody({ givenName: "Grace", familyName: "Hopper" })).expect(201);
    expect(created.body.invitation).toBeNull();
    await t.admin
      .get(`/users/${created.body.id}/invitation`)
      .expect(404)
      .expect((r) => expect(r.body.code).toBe("no_invitation"));
  });

  it("reaches the SMTP server with a link, and the admin sees it pending with its expiry", async () => {
    const created = await t.admin
      .post("/users", {
        ...personBody({ givenName: "Ada", familyName: "Lovelace" }),
        email: "ada@corp.test",
        invite: "now",
      })
      .expect(201);
    const [mail] = await sink.waitFor(1);
    expect(mail.to).toEqual(["ada@corp.test"]);
    expect(mail.subject).toBe("You are invited to join Roster");
    expect(mail.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const inv = await eventually(
      async () => {
        const r = await t.admin.get(`/users/${created.body.id}/invitation`).expect(200);
        return r.body.status === "pending" ? r.body : null;
      },
      5000,
      "invitation pending",
    );
    expect(inv.channels).toEqual(["email"]);
    const person = (await t.admin.get(`/users/${created.body.id}`).expect(200)).body;
    expect(person.invitation).toEqual({ status: "pending", invitedAt: inv.invitedAt, expiresAt: inv.expiresAt });
    expect(new Date(inv.expiresAt).getTime() - new Date(inv.sentAt).getTime()).toBeGreaterThan(24 * 3600 * 1000 - 5000);
    // Only the hash of the link's secret is stored.
    const rows = await t.ds.query("SELECT token_hash FROM invitations WHERE user_id = $1", [created.body.id]);
    expect(rows[0].token_hash).not.toContain(mail.token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    // The job is marked done once its handler has returned, a moment after the invitation shows sent.
    await eventually(
      async () => {
        const outbox = await t.ds.query("SELECT processed_at FROM outbox WHERE topic = 'invitation.requested'");
        expect(outbox).toHaveLength(1);
        return outbox[0].processed_at !== null;
      },
      5000,
      "the job done",
    );
  });
});
