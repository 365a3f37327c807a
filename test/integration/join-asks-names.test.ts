import request from "supertest";
import { startMailingApp, type TestApp } from "../support/app";
import { mailTo } from "../support/invitation-links";
import type { SmtpSink } from "../support/smtp-sink";

let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp());
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = "violet-harbour-tangent-42";

/** A pasted address (no names) invited at once; its link's token. */
async function pasted(local: string): Promise<{ id: string; token: string }> {
  const email = `${local}@join${Date.now().toString(36)}.test`;
  const res = await t.admin.post("/users/batch", { emails: [email], invite: "now" }).expect(200);
  expect(res.body.results[0]).toMatchObject({ status: "created", userName: email });
  const mail = await mailTo(sink, email);
  return { id: res.body.results[0].id, token: mail.token! };
}

describe("joining after being added by a pasted address (names empty)", () => {
  it("the page asks for the names; joining without them is refused, with them sets them (audited)", async () => {
    const { id, token } = await pasted("jdoe");
    const page = await request(t.app).get(`/auth/invitations/${token}`).set("Accept", "text/html").expect(200);
    expect(page.text).toContain('name="givenName"');
    expect(page.text).toContain('name="familyName"');
    expect((await request(t.app).get(`/auth/invitations/${token}`).expect(200)).body.namesNeeded).toBe(true);
    const refused = await request(t.app)
      .post(`/auth/invitations/${token}`)
      .type("form")
      .send({ password: PASSWORD, confirmation: PASSWORD, givenName: "John", familyName: "" })
      .expect(400);
    expect(refused.text).toContain("familyName");
    expect(refused.text).toContain('value="John"');
    await request(t.app)
      .post(`/auth/invitations/${token}`)
      .type("form")
      .send({ password: PASSWORD, confirmation: PASSWORD, givenName: "John", familyName: "Doe" })
      .expect(200);
    const person = (await t.admin.get(`/users/${id}`).expect(200)).body;
    expect([person.givenName, person.familyName]).toEqual(["John", "Doe"]);
    const [audit] = await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action = 'user.enrolled'",
      [id],
    );
    expect(audit.changes.givenName).toEqual({ before: null, after: "John" });
  });

  it("a person with names is not asked again (the JSON answer says so)", async () => {
    const res = await t.admin.post("/users/batch", { emails: [`ada.lovelace@named${Date.now()}.test`], invite: "now" });
    const mail = await mailTo(sink, res.body.results[0].email);
    const link = await request(t.app).get(`/auth/invitations/${mail.token}`).expect(200);
    expect(link.body.namesNeeded).toBe(false);
    const page = await request(t.app).get(`/auth/invitations/${mail.token}`).set("Accept", "text/html").expect(200);
    expect(page.text).not.toContain('name="givenName"');
  });
});
