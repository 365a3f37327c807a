import { randomUUID } from "node:crypto";
import { Browser } from "../support/browser";
import { type SsoHarness, startSsoHarness } from "../support/sso-harness";

let h: SsoHarness;
let sales: string;
beforeAll(async () => {
  h = await startSsoHarness({ SIGNUP_RATE_LIMIT_PER_MINUTE: "40" });
  sales = (await h.t.admin.post("/entities", { name: "Sales", externalKey: "SALES" }).expect(201)).body.id;
});
afterAll(() => h.close());

const codeOf = (body: string) => /id="access-error-code">([a-z_]+)</.exec(body)?.[1] ?? null;
const person = async (login: string) =>
  (
    await h.t.ds.query(
      "SELECT id, source, entity_id, system_role, title, preferred_language, phone_numbers FROM users WHERE lower(user_name) = lower($1)",
      [login],
    )
  )[0];
const invitationQueued = async (userId: string) =>
  (await h.t.ds.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1", [userId]))[0].n as number;

describe("self sign-up", () => {
  it("is off by default: signup_disabled on the form and its post, recorded", async () => {
    const setting = await h.t.admin.get("/settings/sign-up").expect(200);
    expect(setting.body).toEqual({
      enabled: false,
      defaultRole: "member",
      defaultEntityId: null,
      defaultJobProfile: null,
    });
    const b = new Browser();
    const page = await b.follow(`${h.base}/auth/sign-up`);
    expect(page.status).toBe(403);
    expect(codeOf(page.body)).toBe("signup_disabled");
    const post = await b.submit(`${h.base}/auth/sign-up`, { givenName: "A", familyName: "B", email: "a@b.example" });
    expect(codeOf(post.body)).toBe("signup_disabled");
    const [{ n }] = await h.t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'sign_in.refused' AND changes->>'code' = 'signup_disabled'",
    );
    expect(n).toBe(2);
  });

  it("the setting refuses a default entity that does not exist, and an auditor", async () => {
    const bad = await h.t.admin.put("/settings/sign-up", { enabled: true, defaultEntityId: randomUUID() }).expect(400);
    expect(bad.body.field).toBe("defaultEntityId");
    await h.t.admin.put("/settings/sign-up", { enabled: "yes" }).expect(400);
    const auditor = h.t.adminAs(await h.t.token("auditor"));
    await auditor.put("/settings/sign-up", { enabled: true }).expect(403);
  });

  it("when on: the form (EN/FR) with the department list; a sign-up creates the person and invites them", async () => {
    await h.t.admin
      .put("/settings/sign-up", { enabled: true, defaultRole: "member", defaultJobProfile: "Seller" })
      .expect(200);
    const b = new Browser();
    const form = await b.follow(`${h.base}/auth/sign-up?lang=fr`);
    expect(form.status).toBe(200);
    expect(form.body).toContain("Créer un compte");
    expect(form.body).toContain(`<option value="${sales}">Sales</option>`);
    expect(form.body).not.toContain("<script");

    const email = `new.${randomUUID().slice(0, 6)}@corp.example`;
    const sent = await b.submit(`${h.base}/auth/sign-up`, {
      givenName: "Nina",
      familyName: "Simone",
      email,
      language: "fr",
      entityId: sales,
    });
    expect(sent.status).toBe(200);
    const p = await person(email);
    expect(p).toMatchObject({
      source: "signup",
      entity_id: sales,
      system_role: "member",
      title: "Seller",
      preferred_language: "fr",
    });
    expect(await invitationQueued(p.id)).toBe(1);
    const [created] = await h.t.ds.query(
      "SELECT door FROM audit_events WHERE action = 'user.created' AND target_id = $1",
      [p.id],
    );
    expect(created.door).toBe("auth");

    // the same address again: the same answer, nobody created, nothing said about the account
    const again = await b.submit(`${h.base}/auth/sign-up`, { givenName: "X", familyName: "Y", email });
    expect(again.status).toBe(200);
    expect(again.body).toBe(sent.body);
  });

  it("a bad field re-shows the form naming it (400), nothing created", async () => {
    const b = new Browser();
    const before = (await h.t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n;
    for (const [fields, name] of [
      [{ givenName: "", familyName: "B", email: "x@corp.example" }, "givenName"],
      [{ givenName: "A", familyName: "B", email: "not-an-email" }, "email"],
      [{ givenName: "A", familyName: "B" }, "email"],
      [{ givenName: "A", familyName: "B", userName: "abc" }, "phone"],
      [{ givenName: "A", familyName: "B", email: "y@corp.example", entityId: randomUUID() }, "entityId"],
    ] as const) {
      const res = await b.submit(`${h.base}/auth/sign-up`, fields);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.body).toMatch(name === "entityId" ? /class="error"/ : new RegExp(`id="${name}-error"`));
    }
    expect((await h.t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n).toBe(before);
  });

  it("a username and a phone sign up when SMS is on", async () => {
    await h.t.admin
      .put("/settings/communication", { autoInvite: { scim: false, csv: false }, channels: { email: true, sms: true } })
      .expect(200);
    const b = new Browser();
    const userName = `u${randomUUID().slice(0, 8)}`;
    const res = await b.submit(`${h.base}/auth/sign-up`, {
      givenName: "Sam",
      familyName: "Cooke",
      userName,
      phone: "+33 6 12 34 56 78",
    });
    expect(res.status).toBe(200);
    const p = await person(userName);
    expect(p.phone_numbers[0].value).toBe("+33612345678");
    expect(await invitationQueued(p.id)).toBe(1);
  });
});

describe("department sign-up links", () => {
  it("POST returns a signed URL and its QR code (PNG and SVG); the link carries the department", async () => {
    const res = await h.t.admin.post(`/entities/${sales}/signup-links`, {}).expect(201);
    expect(res.body.url).toMatch(new RegExp(`^${h.base}/auth/sign-up\\?link=`));
    expect(res.body.qrCode.png).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(res.body.qrCode.svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    const b = new Browser();
    const form = await b.follow(res.body.url);
    expect(form.status).toBe(200);
    expect(form.body).toContain("<strong>Sales</strong>");
    expect(form.body).not.toContain('<select id="entityId"');
    const email = `link.${randomUUID().slice(0, 6)}@corp.example`;
    const action = /action="([^"]+)"/.exec(form.body)![1].replaceAll("&amp;", "&");
    await b.submit(new URL(action, h.base).href, { givenName: "Lia", familyName: "Link", email });
    expect((await person(email)).entity_id).toBe(sales);

    // a forged token: login_expired, never a 500
    const forged = await b.follow(res.body.url.replace(/.$/, (c: string) => (c === "A" ? "B" : "A")));
    expect(codeOf(forged.body)).toBe("login_expired");
  });

  it("expired and revoked links are refused (login_expired); links are listed with their state", async () => {
    const past = await h.t.admin
      .post(`/entities/${sales}/signup-links`, { expiresAt: new Date(Date.now() - 1000).toISOString() })
      .expect(400);
    expect(past.body.field).toBe("expiresAt");
    const soon = await h.t.admin
      .post(`/entities/${sales}/signup-links`, { expiresAt: new Date(Date.now() + 60_000).toISOString() })
      .expect(201);
    await h.t.ds.query("UPDATE signup_links SET expires_at = now() - interval '1 second' WHERE id = $1", [
      soon.body.id,
    ]);
    const b = new Browser();
    expect(codeOf((await b.follow(soon.body.url)).body)).toBe("login_expired");
    const posted = await b.submit(soon.body.url, { givenName: "A", familyName: "B", email: "late@corp.example" });
    expect(codeOf(posted.body)).toBe("login_expired");
    expect(await person("late@corp.example")).toBeUndefined();

    const live = await h.t.admin.post(`/entities/${sales}/signup-links`, {}).expect(201);
    const revoked = await h.t.admin.post(`/entities/${sales}/signup-links/${live.body.id}/revoke`).expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(codeOf((await b.follow(live.body.url)).body)).toBe("login_expired");

    const list = await h.t.admin.get(`/entities/${sales}/signup-links`).expect(200);
    const ids = list.body.items.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining([soon.body.id, live.body.id]));
    await h.t.admin.get(`/entities/${randomUUID()}/signup-links`).expect(404);
    await h.t.admin.post(`/entities/${randomUUID()}/signup-links`, {}).expect(404);
    await h.t.admin.post(`/entities/${sales}/signup-links/${randomUUID()}/revoke`).expect(404);
  });
});

describe("the sign-up rate limit", () => {
  it("counts posted forms per client address: 429 rate_limited beyond SIGNUP_RATE_LIMIT_PER_MINUTE", async () => {
    const b = new Browser();
    let limited: { status: number; body: string } | null = null;
    for (let i = 0; i < 41 && !limited; i++) {
      const res = await b.submit(`${h.base}/auth/sign-up`, { givenName: "", familyName: "" });
      if (res.status === 429) limited = res;
    }
    expect(limited?.body).toContain("rate_limited");
  });
});

describe("SSO_ONLY", () => {
  let only: SsoHarness;
  beforeAll(async () => {
    only = await startSsoHarness({ SSO_ONLY: "true" });
    await only.t.admin.put("/settings/sign-up", { enabled: true }).expect(200);
  });
  afterAll(() => only.close());

  it("refuses self sign-up with sso_only, even when the setting is on; nobody created", async () => {
    const b = new Browser();
    expect(codeOf((await b.follow(`${only.base}/auth/sign-up`)).body)).toBe("sso_only");
    const post = await b.submit(`${only.base}/auth/sign-up`, {
      givenName: "A",
      familyName: "B",
      email: "a@corp.example",
    });
    expect(post.status).toBe(403);
    expect(codeOf(post.body)).toBe("sso_only");
    expect((await only.t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n).toBe(0);
  });
});
