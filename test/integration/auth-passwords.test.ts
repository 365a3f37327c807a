import request from "supertest";
import { createApp } from "../../src/app";
import { createServices } from "../../src/composition";
import { entity, person, scopedAdmin } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { authClient } from "../support/invitation-links";

const GOOD = "violet-harbour-41-tram";
const NEXT = "quiet-lantern-77-moss";
let t: TestApp;
let auth: ReturnType<typeof authClient>;

beforeAll(async () => {
  t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: "100000" });
  auth = authClient(t);
});
afterAll(async () => t.close());

const otp = (id: string, body?: unknown) => t.admin.post(`/users/${id}/one-time-password`, body ?? {});
const userRow = async (id: string) =>
  (
    await t.ds.query(
      "SELECT password_hash, password_must_change, enrolled_at, last_login_at FROM users WHERE id = $1",
      [id],
    )
  )[0];
const audits = (action: string, id: string) =>
  t.ds.query(
    "SELECT actor_type, actor_id, actor_name, door, changes FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id",
    [action, id],
  );

describe("a one-time password set by an admin", () => {
  it("is generated and shown once, refuses sign-in until changed, and the change lets the person in", async () => {
    const p = await person(t);
    const set = await otp(p.id).expect(200);
    expect(set.headers["cache-control"]).toBe("no-store");
    expect(set.body).toEqual({
      id: p.id,
      userName: p.userName,
      passwordMustChange: true,
      generated: true,
      password: expect.stringMatching(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/),
    });
    const once = set.body.password as string;
    expect(await userRow(p.id)).toMatchObject({ password_must_change: true, enrolled_at: null });

    const login = await auth.login(p.userName, once).expect(403);
    expect(login.body).toMatchObject({ code: "password_change_required" });
    expect((await userRow(p.id)).last_login_at).toBeNull();
    expect((await auth.changePassword(p.userName, "not-the-password", NEXT).expect(401)).body.code).toBe(
      "invalid_credentials",
    );
    const same = await auth.changePassword(p.userName, once, once).expect(400);
    expect(same.body).toMatchObject({ code: "weak_password", field: "newPassword" });
    expect(same.body.errors.map((e: { code: string }) => e.code)).toEqual(["same_as_current"]);

    expect((await auth.changePassword(p.email, once, NEXT).expect(200)).body).toEqual({
      id: p.id,
      userName: p.userName,
      passwordChanged: true,
    });
    await auth.login(p.userName, once).expect(401);
    expect((await auth.login(p.userName, NEXT).expect(200)).body).toEqual({ id: p.id, userName: p.userName });
    const row = await userRow(p.id);
    expect(row.password_must_change).toBe(false);
    expect(row.enrolled_at).not.toBeNull();
    expect(row.last_login_at).not.toBeNull();
    const seen = (await t.admin.get(`/users/${p.id}`).expect(200)).body;
    expect(seen.lastLoginAt).toBe(row.last_login_at.toISOString());
  });

  it("is audited without its value (user.password_reset by the admin, user.password_changed and user.signed_in by the person)", async () => {
    const p = await person(t);
    const { password } = (await otp(p.id).expect(200)).body;
    await auth.changePassword(p.userName, password, NEXT).expect(200);
    await auth.login(p.userName, NEXT).expect(200);
    const [reset] = await audits("user.password_reset", p.id);
    expect(reset).toMatchObject({ actor_type: "token", door: "admin" });
    expect(reset.changes).toMatchObject({
      passwordMustChange: { before: false, after: true },
      generated: { after: true },
    });
    const [changed] = await audits("user.password_changed", p.id);
    expect(changed).toMatchObject({ actor_type: "user", actor_id: p.id, actor_name: p.userName, door: "auth" });
    expect(changed.changes).toMatchObject({
      passwordMustChange: { before: true, after: false },
      enrolledAt: { before: null },
    });
    expect(await audits("user.signed_in", p.id)).toHaveLength(1);
    for (const a of [reset, changed]) expect(JSON.stringify(a.changes)).not.toMatch(new RegExp(`${password}|${NEXT}`));
    // The reset, then the change that enrolled the person, in that order; neither topic has a consumer, so nothing is
    // queued (decision 0156): the audit records are what tells of them.
    const order = await t.ds.query(
      "SELECT action FROM audit_events WHERE target_id = $1 AND action IN ('user.password_reset', 'user.password_changed') ORDER BY id",
      [p.id],
    );
    expect(order.map((e: { action: string }) => e.action)).toEqual(["user.password_reset", "user.password_changed"]);
    expect(
      await t.ds.query(
        "SELECT topic FROM outbox WHERE payload->>'userId' = $1 AND topic IN ('user.password_reset', 'user.enrolled')",
        [p.id],
      ),
    ).toEqual([]);
  });

  it("may be given by the admin (never echoed back), held to the password policy", async () => {
    const p = await person(t);
    const weak = await otp(p.id, { password: "password1234" }).expect(400);
    expect(weak.body).toMatchObject({ code: "weak_password", field: "password" });
    expect(weak.body.errors.map((e: { code: string }) => e.code)).toEqual(["guessable"]);
    expect((await userRow(p.id)).password_hash).toBeNull();
    expect((await otp(p.id, { password: 42 }).expect(400)).body).toMatchObject({
      code: "invalid_request",
      field: "password",
    });
    expect((await otp(p.id, { password: GOOD, mustChange: false }).expect(400)).body.code).toBe("invalid_request");

    const set = await otp(p.id, { password: GOOD }).expect(200);
    expect(set.body).toEqual({ id: p.id, userName: p.userName, passwordMustChange: true, generated: false });
    expect((await auth.login(p.email, GOOD).expect(403)).body.code).toBe("password_change_required");
  });

  it("withdraws the person's open invitation link once they changed it (they have joined)", async () => {
    const p = await person(t);
    await t.admin.post(`/users/${p.id}/invitation`).expect(202);
    const { password } = (await otp(p.id).expect(200)).body;
    await auth.changePassword(p.userName, password, NEXT).expect(200);
    expect((await t.admin.get(`/users/${p.id}/invitation`).expect(200)).body.status).toBe("revoked");
    expect((await t.admin.post(`/users/${p.id}/invitation`).expect(409)).body.code).toBe("already_joined");
  });

  it("is refused for a deactivated person, an unknown id, an auditor, and out of a limited admin's reach", async () => {
    const p = await person(t);
    await t.admin.post(`/users/${p.id}/deactivate`).expect(200);
    expect((await otp(p.id).expect(409)).body.code).toBe("user_inactive");
    await otp("7d0c1f7e-7d4e-4d47-9a57-5d7f2f0f3b1a").expect(404);
    await otp("not-a-uuid").expect(404);
    const auditor = t.adminAs(await t.token("auditor"));
    await auditor.post(`/users/${p.id}/one-time-password`, {}).expect(403);

    const here = await entity(t, `Here ${Date.now()}`);
    const there = await entity(t, `There ${Date.now()}`);
    const limited = await scopedAdmin(t, [here]);
    const outside = await person(t, { entityId: there });
    await limited.client.post(`/users/${outside.id}/one-time-password`, {}).expect(404);
    const boss = await person(t, { entityId: here, role: "admin" });
    expect((await limited.client.post(`/users/${boss.id}/one-time-password`, {}).expect(403)).body.code).toBe(
      "out_of_scope",
    );
    const member = await person(t, { entityId: here });
    await limited.client.post(`/users/${member.id}/one-time-password`, {}).expect(200);
    expect((await userRow(boss.id)).password_hash).toBeNull();
  });
});

describe("signing in (POST /auth/login)", () => {
  let p: { id: string; userName: string; email: string };
  beforeAll(async () => {
    p = await person(t);
    const { password } = (await otp(p.id).expect(200)).body;
    await auth.changePassword(p.userName, password, GOOD).expect(200);
  });

  it("takes the userName or an email address, in any case", async () => {
    await auth.login(p.userName.toUpperCase(), GOOD).expect(200);
    await auth.login(p.email.toUpperCase(), GOOD).expect(200);
    await auth.login(` ${p.email} `, GOOD).expect(200);
  });

  it("answers one 401 for a wrong password, an unknown login, a person without a password or deactivated", async () => {
    const wrong = await auth.login(p.userName, "violet-harbour-41-trap").expect(401);
    const unknown = await auth.login("nobody@nowhere.test", GOOD).expect(401);
    const fresh = await person(t);
    const noPassword = await auth.login(fresh.userName, GOOD).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(noPassword.body).toEqual(wrong.body);
    expect(wrong.body).toMatchObject({ status: 401, code: "invalid_credentials" });
    const gone = await person(t);
    const { password } = (await otp(gone.id).expect(200)).body;
    await auth.changePassword(gone.userName, password, GOOD).expect(200);
    await t.admin.post(`/users/${gone.id}/deactivate`).expect(200);
    await auth.login(gone.userName, GOOD).expect(401);
    await auth.changePassword(gone.userName, GOOD, NEXT).expect(401);
  });

  it("does not pick one of several people sharing an address", async () => {
    const hash = (await t.ds.query("SELECT password_hash FROM users WHERE id = $1", [p.id]))[0].password_hash;
    const shared = `shared.${Date.now()}@corp.test`;
    for (const name of ["twin.one", "twin.two"]) {
      await t.ds.query(
        `INSERT INTO users (user_name, emails, source, password_hash) VALUES ($1, $2::jsonb, 'scim', $3)`,
        [`${name}.${Date.now()}`, JSON.stringify([{ value: shared, primary: true }]), hash],
      );
    }
    await auth.login(shared, GOOD).expect(401);
  });

  it("refuses bodies that are not a login and a password", async () => {
    expect(
      (await request(t.app).post("/auth/login").set("Content-Type", "application/json").send("{").expect(400)).body
        .code,
    ).toBe("invalid_json");
    expect((await request(t.app).post("/auth/login").send({ login: p.userName }).expect(400)).body).toMatchObject({
      code: "invalid_request",
      field: "password",
    });
    await request(t.app).get("/auth/nothing-here").expect(404);
  });
});

describe("rate limits (AUTH_RATE_LIMIT_PER_MINUTE, per client address)", () => {
  // The counters live in the database: earlier tests' requests (from the same address) are forgotten first.
  beforeEach(() => t.ds.query("DELETE FROM rate_limit_hits"));

  it("answers 429 rate_limited with Retry-After past the limit, each route family on its own budget", async () => {
    const app = createApp({ ...t.cfg, AUTH_RATE_LIMIT_PER_MINUTE: 3 }, t.ds, t.services);
    for (let i = 0; i < 2; i++)
      await request(app)
        .get(`/auth/invitations/${"C".repeat(43)}`)
        .expect(404);
    await request(app)
      .post(`/auth/invitations/${"C".repeat(43)}`)
      .send({ password: GOOD })
      .expect(404);
    const limited = await request(app)
      .get(`/auth/invitations/${"C".repeat(43)}`)
      .expect(429);
    expect(limited.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["ratelimit-policy"]).toMatch(/q=3/);
    expect(limited.headers.ratelimit).toMatch(/r=0/);

    for (let i = 0; i < 3; i++)
      await request(app).post("/auth/login").send({ login: "x@y.test", password: "wrong" }).expect(401);
    expect(
      (await request(app).post("/auth/login").send({ login: "x@y.test", password: "wrong" }).expect(429)).body.code,
    ).toBe("rate_limited");
    await request(app)
      .post("/auth/password")
      .send({ login: "x@y.test", currentPassword: "a", newPassword: "b" })
      .expect(401);
  });

  it("counts failed sign-ins per account from any address; a success does not count, and other accounts are not touched", async () => {
    const p = await person(t);
    await request(t.app)
      .post(`/admin/v1/users/${p.id}/one-time-password`)
      .set("Authorization", `Bearer ${await t.token("admin")}`)
      .send({ password: GOOD })
      .expect(200);
    await request(t.app)
      .post("/auth/password")
      .send({ login: p.userName, currentPassword: GOOD, newPassword: "another-fine-passphrase" })
      .expect(200);
    const app = createApp({ ...t.cfg, AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: 3 }, t.ds, t.services);
    const login = (login: string, password: string) => request(app).post("/auth/login").send({ login, password });
    await login(p.userName, "another-fine-passphrase").expect(200);
    for (let i = 0; i < 3; i++) await login(i === 1 ? p.userName.toUpperCase() : p.userName, "wrong").expect(401);
    const limited = await login(p.userName, "another-fine-passphrase").expect(429);
    expect(limited.body).toMatchObject({ code: "rate_limited", detail: expect.stringContaining("this account") });
    // The address is far from its own limit: another account from it is answered as usual.
    await login("someone.else@corp.test", "wrong").expect(401);
  });

  it("counts per account whichever login was typed: locked through its userName, its email and any casing are refused too", async () => {
    const admin = `Bearer ${await t.token("admin")}`;
    const withPassword = async () => {
      const p = await person(t);
      await request(t.app)
        .post(`/admin/v1/users/${p.id}/one-time-password`)
        .set("Authorization", admin)
        .send({ password: GOOD })
        .expect(200);
      await request(t.app)
        .post("/auth/password")
        .send({ login: p.userName, currentPassword: GOOD, newPassword: NEXT })
        .expect(200);
      return p;
    };
    const [p, other] = [await withPassword(), await withPassword()];
    const app = createApp({ ...t.cfg, AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: 3 }, t.ds, t.services);
    const login = (login: string, password: string) => request(app).post("/auth/login").send({ login, password });
    for (let i = 0; i < 3; i++) await login(p.userName, `wrong-guess-${i}`).expect(401);

    for (const typed of [p.email, p.userName.toUpperCase(), ` ${p.email.toUpperCase()} `]) {
      expect([typed, (await login(typed, NEXT)).status]).toEqual([typed, 429]);
    }
    const change = await request(app)
      .post("/auth/password")
      .send({ login: p.email, currentPassword: NEXT, newPassword: "yet-another-river-lamp" })
      .expect(429);
    expect(change.body).toMatchObject({ code: "rate_limited", detail: expect.stringContaining("this account") });
    // The other account, from the same address, is answered as usual.
    await login(other.email, "wrong").expect(401);
    expect((await login(other.userName, NEXT).expect(200)).body).toEqual({ id: other.id, userName: other.userName });
    const [row] = await t.ds.query("SELECT hits FROM rate_limit_hits WHERE key = $1", [`auth-account:account:${p.id}`]);
    expect(row.hits).toBeGreaterThanOrEqual(3);
  });

  it("adds up failures typed as userName and as email; unknown logins are counted too, under their normalised text", async () => {
    const p = await person(t);
    const app = createApp({ ...t.cfg, AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: 3 }, t.ds, t.services);
    const login = (login: string, password: string) => request(app).post("/auth/login").send({ login, password });
    await login(p.userName, "wrong").expect(401);
    await login(p.email.toUpperCase(), "wrong").expect(401);
    await request(app)
      .post("/auth/password")
      .send({ login: p.email, currentPassword: "wrong", newPassword: NEXT })
      .expect(401);
    await login(p.userName, "wrong").expect(429);

    const ghost = `ghost.${Date.now()}@nowhere.test`;
    for (let i = 0; i < 3; i++) await login(ghost, "wrong").expect(401);
    await login(` ${ghost.toUpperCase()}`, "wrong").expect(429);
    await login(`other.${ghost}`, "wrong").expect(401);
    // The typed text is kept only as a digest.
    expect(await t.ds.query("SELECT key FROM rate_limit_hits WHERE key LIKE $1", [`%${ghost}%`])).toEqual([]);
  });

  it("answers a login no one can have (control characters) with the usual 401, and counts it; a NUL is bad text (400)", async () => {
    const app = createApp({ ...t.cfg, AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: 2 }, t.ds, t.services);
    const nul = await request(app)
      .post("/auth/login")
      .send({ login: "ada\u0000lovelace", password: "wrong" })
      .expect(400);
    expect(nul.body).toMatchObject({ code: "invalid_text", field: "login" });
    const login = () => request(app).post("/auth/login").send({ login: "ada\u0007lovelace", password: "wrong" });
    expect((await login().expect(401)).body.code).toBe("invalid_credentials");
    await login().expect(401);
    await login().expect(429);
  });

  it("is one budget for every replica: two servers on one database count the same client's requests together", async () => {
    const cfg = { ...t.cfg, AUTH_RATE_LIMIT_PER_MINUTE: 4 };
    const [one, two] = [createApp(cfg, t.ds, t.services), createApp(cfg, t.ds, t.services)];
    const login = (app: typeof one) => request(app).post("/auth/login").send({ login: "x@y.test", password: "wrong" });
    await login(one).expect(401);
    await login(two).expect(401);
    await login(one).expect(401);
    await login(two).expect(401);
    expect((await login(one).expect(429)).body.code).toBe("rate_limited");
    expect((await login(two).expect(429)).body.code).toBe("rate_limited");
    const [row] = await t.ds.query(
      "SELECT hits, reset_at > now() AS open FROM rate_limit_hits WHERE key LIKE 'auth-login:%'",
    );
    expect(row).toEqual({ hits: 6, open: true });
  });
});

describe("under SSO_ONLY", () => {
  it("sets and checks no password: one-time passwords, sign-in and invitation links answer 403 sso_only", async () => {
    const p = await person(t);
    const cfg = { ...t.cfg, SSO_ONLY: true };
    const app = createApp(cfg, t.ds, createServices(t.ds, cfg));
    const token = await t.token("admin");
    const refused = await request(app)
      .post(`/admin/v1/users/${p.id}/one-time-password`)
      .set("Authorization", `Bearer ${token}`)
      .send({})
      .expect(403);
    expect(refused.body.code).toBe("sso_only");
    expect(
      (await request(app).post("/auth/login").send({ login: p.userName, password: GOOD }).expect(403)).body.code,
    ).toBe("sso_only");
    expect(
      (
        await request(app)
          .get(`/auth/invitations/${"D".repeat(43)}`)
          .expect(403)
      ).body.code,
    ).toBe("sso_only");
  });
});
