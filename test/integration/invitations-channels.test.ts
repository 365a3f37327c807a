import { createHash } from "node:crypto";
import { startMailingApp, type TestApp } from "../support/app";
import { CollectingSms, invitationsOf, setCommunication, smsToken } from "../support/delivery";
import { buildScimUser } from "../support/factories";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

/** Invitation channels: email and/or SMS as the communication setting and the person's contacts allow. */
let t: TestApp;
let sink: SmtpSink;
const sms = new CollectingSms();
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ PLATFORM_NAME: "Acme Hub" }, { sms }));
});
afterAll(async () => t.close());
beforeEach(async () => setCommunication(t));

let n = 0;
const phone = () => `+3361234${String(++n).padStart(4, "0")}`;
/** A SCIM user with only a phone (a userName that is not an address, no emails). */
const phoneOnly = (number: string) => ({
  ...buildScimUser({ userName: `mobile${Date.now()}${n}` }),
  emails: [],
  phoneNumbers: [{ value: number, type: "mobile" }],
});
const withBoth = (number: string) =>
  buildScimUser({ phoneNumbers: [{ value: number, type: "mobile", primary: true }] });
const create = async (body: Record<string, unknown>) =>
  (await t.scim.post("/Users", body).expect(201)).body.id as string;
const invite = (id: string) => t.admin.post(`/users/${id}/invitation`);
const sent = (id: string) =>
  eventually(
    async () => {
      const r = await t.admin.get(`/users/${id}/invitation`);
      return r.status === 200 && r.body.status === "pending" ? r.body : null;
    },
    10_000,
    `invitation of ${id} sent`,
  );

describe("a person with a phone and no email", () => {
  it("is activated by SMS: the text carries a working link and the platform name; no mail is sent", async () => {
    const number = phone();
    const id = await create(phoneOnly(number));
    await invite(id).expect(202);
    const inv = await sent(id);
    expect(inv.channels).toEqual(["sms"]);
    const text = sms.messages.find((m) => m.to === number)!.text;
    expect(text).toContain("Acme Hub");
    const token = smsToken(text);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await t.ds.query("SELECT token_hash FROM invitations WHERE user_id = $1", [id]);
    expect(row.token_hash).toBe(createHash("sha256").update(token!).digest("hex"));
    expect(sink.mails.some((m) => m.text.includes(token!))).toBe(false);
  });
});

describe("a person with both an email and a phone", () => {
  it("gets both, carrying the same link, when both channels are on (published behaviour)", async () => {
    const number = phone();
    const body = withBoth(number);
    const id = await create(body);
    await invite(id).expect(202);
    const inv = await sent(id);
    expect(inv.channels).toEqual(["email", "sms"]);
    const mail = sink.mails.find((m) => m.to.includes(String(body.userName).toLowerCase()))!;
    expect(smsToken(sms.messages.find((m) => m.to === number)!.text)).toBe(mail.token);
  });

  it("gets only the SMS when email is off, only the mail when SMS is off", async () => {
    await setCommunication(t, { channels: { email: false } });
    const smsNumber = phone();
    const a = withBoth(smsNumber);
    const aId = await create(a);
    await invite(aId).expect(202);
    expect((await sent(aId)).channels).toEqual(["sms"]);
    expect(sink.mails.some((m) => m.to.includes(String(a.userName).toLowerCase()))).toBe(false);

    await setCommunication(t, { channels: { sms: false } });
    const mailNumber = phone();
    const b = withBoth(mailNumber);
    const bId = await create(b);
    await invite(bId).expect(202);
    expect((await sent(bId)).channels).toEqual(["email"]);
    expect(sms.messages.some((m) => m.to === mailNumber)).toBe(false);
  });
});

describe("refused at request time, changing nothing", () => {
  it("no_contact (409, field emails) for someone with no email when SMS is off", async () => {
    const id = await create(phoneOnly(phone()));
    await setCommunication(t, { channels: { sms: false } });
    const res = await invite(id).expect(409);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ code: "no_contact", field: "emails" });
    expect(res.body.detail).toMatch(/SMS is turned off/);
    expect(await invitationsOf(t, id)).toEqual([]);
  });

  it("no_contact (409, field emails) for someone with neither email nor phone", async () => {
    const id = await create({ ...buildScimUser({ userName: `nobody${Date.now()}` }), emails: [] });
    expect((await invite(id).expect(409)).body).toMatchObject({ code: "no_contact", field: "emails" });
  });

  it("no_contact (409, field phoneNumbers) for someone with only an email when email is off", async () => {
    const id = await create(buildScimUser());
    await setCommunication(t, { channels: { email: false } });
    expect((await invite(id).expect(409)).body).toMatchObject({ code: "no_contact", field: "phoneNumbers" });
  });

  it("channels_off (409) when both channels are off", async () => {
    const id = await create(withBoth(phone()));
    await setCommunication(t, { channels: { email: false, sms: false } });
    expect((await invite(id).expect(409)).body.code).toBe("channels_off");
    expect(await invitationsOf(t, id)).toEqual([]);
  });

  it("auto-invite skips someone SMS cannot reach when SMS is off: created, not invited", async () => {
    await setCommunication(t, { autoInvite: { scim: true }, channels: { sms: false } });
    const id = await create(phoneOnly(phone()));
    expect(await invitationsOf(t, id)).toEqual([]);
  });
});
