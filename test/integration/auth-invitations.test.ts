import { ManualClock } from "../../src/domain/clock";
import { startMailingApp, type TestApp } from "../support/app";
import { authClient, invitedPerson, mailTo } from "../support/invitation-links";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

const GOOD = "violet-harbour-41-tram";
const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
let t: TestApp;
let sink: SmtpSink;
let auth: ReturnType<typeof authClient>;

beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ AUTH_RATE_LIMIT_PER_MINUTE: "100000", PLATFORM_NAME: "Acme Hub" }, { clock }));
  auth = authClient(t);
});
afterAll(async () => t.close());

const invitationOf = async (id: string) => (await t.admin.get(`/users/${id}/invitation`).expect(200)).body;
const pending = (id: string) =>
  eventually(
    async () => ((await invitationOf(id)).status === "pending" ? invitationOf(id) : null),
    5000,
    "invitation pending",
  );

describe("the link of an invitation mail", () => {
  it("is valid, sets the password once, and the admin then sees the invitation accepted and the person enrolled", async () => {
    const p = await invitedPerson(t, sink, { givenName: "Ada", familyName: "Lovelace" });
    expect(p.mail.link).toMatch(new RegExp(`/auth/invitations/${p.token}$`));
    const check = await auth.link(p.token).expect(200);
    expect(check.headers["cache-control"]).toBe("no-store");
    const inv = await pending(p.id);
    expect(check.body).toEqual({
      valid: true,
      expiresAt: inv.expiresAt,
      givenName: "Ada",
      userName: p.userName,
      platform: "Acme Hub",
      space: null,
      language: "en",
      namesNeeded: false,
      purpose: "join",
    });

    const accepted = await auth.accept(p.token, GOOD).expect(200);
    expect(accepted.body).toEqual({ id: p.id, userName: p.userName, enrolledAt: clock.now().toISOString() });
    const again = await auth.accept(p.token, "another-fine-passphrase").expect(410);
    expect(again.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 410, code: "invitation_used" });
    expect((await auth.link(p.token).expect(410)).body.code).toBe("invitation_used");

    expect((await invitationOf(p.id)).status).toBe("accepted");
    const person = (await t.admin.get(`/users/${p.id}`).expect(200)).body;
    expect(person.enrolledAt).toBe(clock.now().toISOString());
    const [row] = await t.ds.query("SELECT password_hash, password_must_change FROM users WHERE id = $1", [p.id]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(GOOD);
    expect(row.password_must_change).toBe(false);
    // The first password works; the second try with the used link changed nothing.
    expect((await auth.login(p.email, GOOD).expect(200)).body).toEqual({ id: p.id, userName: p.userName });
    await auth.login(p.email, "another-fine-passphrase").expect(401);
  });

  it("records user.enrolled as the person, through the auth door, in the same transaction, queueing nothing", async () => {
    const p = await invitedPerson(t, sink);
    await auth.accept(p.token, GOOD).expect(200);
    const audits = await t.ds.query(
      "SELECT actor_type, actor_id, actor_name, door, changes FROM audit_events WHERE action = 'user.enrolled' AND target_id = $1",
      [p.id],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_type: "user", actor_id: p.id, actor_name: p.userName, door: "auth" });
    expect(JSON.stringify(audits[0].changes)).not.toContain(GOOD);
    // user.enrolled has no consumer (decision 0156): the enrolment is the audit record above, and nothing is queued.
    expect(
      await t.ds.query("SELECT 1 FROM outbox WHERE topic = 'user.enrolled' AND payload->>'userId' = $1", [p.id]),
    ).toEqual([]);
  });

  it("names the space an external person is invited into", async () => {
    const group = (
      await t.scim
        .post("/Groups", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          displayName: `Design Studio ${Date.now()}`,
        })
        .expect(201)
    ).body;
    const p = await t.admin
      .post("/users", {
        email: `guest.${Date.now()}@partner.test`,
        givenName: "Guest",
        familyName: "Partner",
        external: true,
      })
      .expect(201);
    await t.services.invitations.request(
      { actor: { type: "token", id: null, name: "test" }, door: "admin", requestId: null },
      p.body.id,
      { space: { groupId: group.id, name: group.displayName } },
    );
    const mail = await mailTo(sink, p.body.email);
    expect((await auth.link(mail.token!).expect(200)).body).toMatchObject({
      space: group.displayName,
      givenName: "Guest",
    });
  });

  it("answers the same 404 for any token that matches nothing, well-formed or not", async () => {
    const a = await auth.link("A".repeat(43)).expect(404);
    const b = await auth.link("not-a-token").expect(404);
    const c = await auth.accept("B".repeat(43), GOOD).expect(404);
    for (const r of [a, b, c])
      expect(r.body).toMatchObject({ code: "invitation_unknown", detail: "This invitation link is not valid" });
  });

  it("is withdrawn once the person is deactivated", async () => {
    const p = await invitedPerson(t, sink);
    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    expect((await auth.link(p.token).expect(410)).body.code).toBe("invitation_revoked");
    expect((await auth.accept(p.token, GOOD).expect(410)).body.code).toBe("invitation_revoked");
  });

  it("of two uses at once, exactly one sets the password and the other is told the link was used", async () => {
    const p = await invitedPerson(t, sink);
    const results = await Promise.all([auth.accept(p.token, GOOD), auth.accept(p.token, "second-long-passphrase")]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(results.find((r) => r.status === 410)!.body.code).toBe("invitation_used");
    const winner = results.find((r) => r.status === 200) === results[0] ? GOOD : "second-long-passphrase";
    await auth.login(p.email, winner).expect(200);
    const [{ n }] = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.enrolled' AND target_id = $1",
      [p.id],
    );
    expect(n).toBe(1);
  });
});

describe("expiry (INVITE_TTL, on the injected clock)", () => {
  it("works one second before the expiry, and answers invitation_expired from the expiry on", async () => {
    const a = await invitedPerson(t, sink);
    const b = await invitedPerson(t, sink);
    const expiresAt = new Date((await pending(a.id)).expiresAt).getTime();
    expect(new Date((await pending(b.id)).expiresAt).getTime()).toBe(expiresAt); // the clock stood still
    expect(expiresAt - clock.now().getTime()).toBe(24 * 3600 * 1000);
    clock.advance(expiresAt - clock.now().getTime() - 1000);
    await auth.accept(a.token, GOOD).expect(200);
    await auth.link(b.token).expect(200);
    clock.advance(1000);
    expect((await auth.link(b.token).expect(410)).body.code).toBe("invitation_expired");
    expect((await auth.accept(b.token, GOOD).expect(410)).body.code).toBe("invitation_expired");
    expect((await invitationOf(b.id)).status).toBe("expired");
    const [row] = await t.ds.query("SELECT password_hash FROM users WHERE id = $1", [b.id]);
    expect(row.password_hash).toBeNull();
  });
});

describe("resending", () => {
  it("replaces the old link, the new one works, and a resend after joining is refused", async () => {
    const p = await invitedPerson(t, sink);
    await t.admin.post(`/users/${p.id}/invitation`).expect(202);
    const second = await mailTo(sink, p.email, 2);
    expect(second.token).not.toBe(p.token);
    expect((await auth.link(p.token).expect(410)).body.code).toBe("invitation_replaced");
    expect((await auth.accept(p.token, GOOD).expect(410)).body.code).toBe("invitation_replaced");
    await auth.accept(second.token!, GOOD).expect(200);
    const refused = await t.admin.post(`/users/${p.id}/invitation`).expect(409);
    expect(refused.body.code).toBe("already_joined");
  });
});

describe("the password policy on joining", () => {
  it("refuses weak passwords naming every rule broken, and changes nothing", async () => {
    const p = await invitedPerson(t, sink, { givenName: "Grace", familyName: "Hopper" });
    const local = p.email.split("@")[0];
    const cases: [string, string[]][] = [
      ["x7#Qv9pLm", ["too_short"]],
      ["z".repeat(20), ["one_character", "guessable"]],
      [`my-${p.userName.toUpperCase()}-k7#Qx9pL`, ["contains_user_name"]],
      [`${local}-k7#Qx9pL!m2`, ["contains_email"]],
      [`${"k7#Qx9pL!m2Vz4Rt".repeat(8)}y`, ["too_long"]],
      // The estimator's common passwords, words and patterns (zxcvbn-ts), and control characters.
      ["Password1234!", ["guessable"]],
      ["iloveyou1234", ["guessable"]],
      ["abababababab", ["guessable"]],
      ["correcthorse", ["guessable"]],
      ["violet-harbour\u0007-41-tram", ["control_character"]],
    ];
    for (const [password, rules] of cases) {
      const res = await auth.accept(p.token, password).expect(400);
      expect(res.body).toMatchObject({ code: "weak_password", field: "password" });
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(rules);
      expect(res.body.errors.every((e: { field: string }) => e.field === "password")).toBe(true);
    }
    // The estimator's feedback is the detail.
    const common = await auth.accept(p.token, "iloveyou1234").expect(400);
    expect(common.body.errors[0].detail).toBe(
      "password is too easy to guess: This is similar to a commonly used password. Add more words that are less common",
    );
    // A NUL is refused by the door before any rule runs: no text with one is ever stored or compared.
    const nul = await auth.accept(p.token, "violet-harbour\u0000-41-tram").expect(400);
    expect(nul.body).toMatchObject({ code: "invalid_text", field: "password" });
    const missing = await auth.accept(p.token, undefined).expect(400);
    expect(missing.body).toMatchObject({ code: "invalid_request", field: "password" });
    const [row] = await t.ds.query("SELECT password_hash, enrolled_at FROM users WHERE id = $1", [p.id]);
    expect(row).toEqual({ password_hash: null, enrolled_at: null });
    expect((await invitationOf(p.id)).status).toBe("pending");
    await auth.link(p.token).expect(200);
  });
});
