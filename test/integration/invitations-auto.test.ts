import { systemActor } from "../../src/domain/context";
import { emptyProfile } from "../../src/domain/users/user";
import { personBody } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { CollectingSms, invitationsOf, setCommunication } from "../support/delivery";
import { buildScimUser, uniqueName } from "../support/factories";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

/** Auto-invite (the communication setting) of people the IdP creates, through the SCIM door and the real worker. */
let t: TestApp;
let sink: SmtpSink;
const sms = new CollectingSms();
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({}, { sms }));
});
afterAll(async () => t.close());
beforeEach(async () => setCommunication(t));

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address.toLowerCase()));
const pending = (id: string) =>
  eventually(
    async () => {
      const r = await t.admin.get(`/users/${id}/invitation`);
      return r.status === 200 && r.body.status === "pending" ? r.body : null;
    },
    10_000,
    `invitation of ${id} pending`,
  );

describe("SCIM-created people with auto-invite off (the default)", () => {
  it("are created without an invitation", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    expect(await invitationsOf(t, created.id)).toEqual([]);
    expect((await t.admin.get(`/users/${created.id}/invitation`).expect(404)).body.code).toBe("no_invitation");
  });
});

describe("SCIM-created people with autoInvite.scim on", () => {
  beforeEach(async () => setCommunication(t, { autoInvite: { scim: true } }));

  it("POST /Users: the invitation is asked for in the create's transaction and the worker mails the link", async () => {
    const body = buildScimUser();
    const created = (await t.scim.post("/Users", body).expect(201)).body;
    expect((await invitationsOf(t, created.id)).map((i) => i.door)).toEqual(["scim"]);
    const inv = await pending(created.id);
    expect(inv).toMatchObject({ door: "scim", channels: ["email"], invitedBy: "test-idp" });
    const [mail] = mailsTo(body.userName as string);
    expect(mail.subject).toBe("You are invited to join Roster");
    expect(mail.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const audit = await t.ds.query("SELECT action, door FROM audit_events WHERE target_id = $1 ORDER BY id", [
      created.id,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(["user.created", "user.invited", "invitation.issued", "invitation.sent"]),
    );
    expect(audit.find((a: { action: string }) => a.action === "user.invited").door).toBe("scim");
  });

  it("POST /Bulk: every created person is invited", async () => {
    const a = buildScimUser();
    const b = buildScimUser();
    const res = await t.scim
      .post("/Bulk", {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: "POST", path: "/Users", bulkId: "a", data: a },
          { method: "POST", path: "/Users", bulkId: "b", data: b },
        ],
      })
      .expect(200);
    const ids = res.body.Operations.map((o: { location: string }) => o.location.split("/").pop());
    for (const id of ids) await pending(id);
    expect(mailsTo(a.userName as string)).toHaveLength(1);
    expect(mailsTo(b.userName as string)).toHaveLength(1);
  });

  it("an account the IdP removed and creates again (restored) is invited again, unless the person had joined", async () => {
    const body = buildScimUser();
    const first = (await t.scim.post("/Users", body).expect(201)).body;
    await pending(first.id);
    await t.scim.delete(`/Users/${first.id}`).expect(204);
    const again = (await t.scim.post("/Users", body).expect(201)).body;
    expect(again.id).toBe(first.id);
    const rows = await invitationsOf(t, first.id);
    expect(rows).toHaveLength(2);
    expect(rows[0].revoked_at).not.toBeNull();
    await eventually(async () => mailsTo(body.userName as string).length === 2, 10_000, "the second mail");

    const joined = buildScimUser();
    const j = (await t.scim.post("/Users", joined).expect(201)).body;
    await pending(j.id);
    await t.ds.query("UPDATE users SET enrolled_at = now() WHERE id = $1", [j.id]);
    await t.scim.delete(`/Users/${j.id}`).expect(204);
    await t.scim.post("/Users", joined).expect(201);
    expect(await invitationsOf(t, j.id)).toHaveLength(1);
  });

  it("someone who cannot be invited (no contact, or deactivated) is created all the same, without an invitation", async () => {
    const noContact = (
      await t.scim.post("/Users", { ...buildScimUser({ userName: `nocontact${Date.now()}` }), emails: [] }).expect(201)
    ).body;
    const inactive = (await t.scim.post("/Users", buildScimUser({ active: false })).expect(201)).body;
    expect(await invitationsOf(t, noContact.id)).toEqual([]);
    expect(await invitationsOf(t, inactive.id)).toEqual([]);
    await t.scim.get(`/Users/${noContact.id}`).expect(200);
  });

  it("people an admin creates are never invited automatically (the admin says invite now or later)", async () => {
    const created = (await t.admin.post("/users", personBody()).expect(201)).body;
    expect(await invitationsOf(t, created.id)).toEqual([]);
  });
});

describe("the csv source", () => {
  const ctx = { actor: systemActor, door: "cli" as const, requestId: null };
  const csvUser = () =>
    t.services.users.create(ctx, { profile: { ...emptyProfile(uniqueName("csv")) } }, "csv", "import-1");

  it("follows autoInvite.csv, independently of autoInvite.scim (there is no CSV import door yet: the use case is called directly)", async () => {
    await setCommunication(t, { autoInvite: { scim: true, csv: false } });
    expect(await invitationsOf(t, (await csvUser()).id)).toEqual([]);
    await setCommunication(t, { autoInvite: { scim: false, csv: true } });
    const invited = await csvUser();
    expect((await invitationsOf(t, invited.id)).map((i) => i.door)).toEqual(["cli"]);
    expect(await invitationsOf(t, (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id)).toEqual([]);
    await pending(invited.id);
  });
});
