import { startTestApp, type TestApp } from "../support/app";
import { invitationsOf, setCommunication } from "../support/delivery";
import { buildScimUser } from "../support/factories";

/** SSO_ONLY=true: people sign in with single sign-on, so no password link is ever sent, whatever the setting says. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SSO_ONLY: "true" });
  await setCommunication(t, { autoInvite: { scim: true, csv: true } });
});
afterAll(async () => t.close());

describe("an SSO-only platform with autoInvite.scim on", () => {
  it("creates SCIM users (POST /Users and /Bulk) without an invitation, and queues no invitation job", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const bulk = await t.scim
      .post("/Bulk", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "POST", path: "/Users", bulkId: "x", data: buildScimUser() }],
      })
      .expect(200);
    expect(bulk.body.Operations[0].status).toBe("201");
    expect(await invitationsOf(t, created.id)).toEqual([]);
    expect(await t.ds.query("SELECT id FROM invitations")).toEqual([]);
    expect(await t.ds.query("SELECT id FROM outbox WHERE topic = 'invitation.requested'")).toEqual([]);
    const row = (await t.ds.query("SELECT invited_at FROM users WHERE id = $1", [created.id]))[0];
    expect(row.invited_at).toBeNull();
  });

  it("refuses an admin's explicit invitation with 403 sso_only", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    expect((await t.admin.post(`/users/${created.id}/invitation`).expect(403)).body.code).toBe("sso_only");
  });
});
