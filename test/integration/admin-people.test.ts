import { startTestApp, type TestApp } from "../support/app";
import { entity, person, personBody } from "../support/admin-fixtures";
import { buildScimUser } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].count);

describe("POST /admin/v1/users", () => {
  it("creates a person with the published rules: first.last generated from the names, accents stripped", async () => {
    const site = await entity(t, "Bordeaux");
    const res = await t.admin
      .post("/users", {
        email: "Elodie.Muller@Corp.test",
        givenName: "Élodie",
        familyName: "Müller-Öst",
        entityId: site,
        external: true,
      })
      .expect(201);
    expect(res.headers.location).toBe(`/admin/v1/users/${res.body.id}`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.body).toMatchObject({
      userName: "elodie.mullerost",
      givenName: "Élodie",
      familyName: "Müller-Öst",
      displayName: "Élodie Müller-Öst",
      email: "Elodie.Muller@Corp.test",
      language: null,
      active: true,
      source: "admin",
      external: true,
      invitedAt: null,
      enrolledAt: null,
      lastLoginAt: null,
      entity: { id: site, name: "Bordeaux" },
      role: "member",
      permissions: [],
      adminScope: [],
    });
  });

  it("resolves generated userName collisions with a number, counting names held by removed accounts", async () => {
    const first = await t.admin.post("/users", personBody({ givenName: "Grace", familyName: "Hopper" })).expect(201);
    const second = await t.admin.post("/users", personBody({ givenName: "Gràce", familyName: "Hopper" })).expect(201);
    const removed = (await t.scim.post("/Users", buildScimUser({ userName: "grace.hopper3" })).expect(201)).body;
    await t.scim.delete(`/Users/${removed.id}`).expect(204);
    const fourth = await t.admin.post("/users", personBody({ givenName: "Grace", familyName: "Hopper" })).expect(201);
    expect([first.body.userName, second.body.userName, fourth.body.userName]).toEqual([
      "grace.hopper",
      "grace.hopper2",
      "grace.hopper4",
    ]);
  });

  it.each([
    ["a digit in a name", { givenName: "Ann3" }, "givenName", "must not contain digits"],
    ["a short family name", { familyName: "Li" }, "familyName", "at least 3"],
    ["no given name", { givenName: undefined }, "givenName", "required"],
    ["an accented userName", { userName: "élodie.muller" }, "userName", "first.last"],
    ["a userName with a special character", { userName: "ada_lovelace" }, "userName", "first.last"],
    ["a userName without a dot", { userName: "ada" }, "userName", "first.last"],
    ["a bad email", { email: "not-an-email" }, "email", "not an email"],
    ["a bad language", { language: "français" }, "language", "language tag"],
  ])("refuses %s by field, creating nothing", async (_case, extra, field, detail) => {
    const before = await count("SELECT count(*) FROM users");
    const res = await t.admin.post("/users", personBody(extra)).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "invalid_value", field });
    expect(res.body.detail).toContain(detail);
    expect(await count("SELECT count(*) FROM users")).toBe(before);
  });

  it("takes a valid userName as given, and an explicit language", async () => {
    const res = await t.admin.post("/users", personBody({ userName: "ada.lovelace7", language: "fr-CA" })).expect(201);
    expect(res.body).toMatchObject({ userName: "ada.lovelace7", language: "fr-CA" });
    expect(
      await count("SELECT count(*) FROM users WHERE id = $1 AND preferred_language = 'fr-CA'", [res.body.id]),
    ).toBe(1);
  });

  it("refuses an email or userName already in use, case-insensitively (409)", async () => {
    const p = await person(t, { userName: "taken.name" });
    expect((await t.admin.post("/users", personBody({ email: p.email.toUpperCase() })).expect(409)).body).toMatchObject(
      { code: "email_taken", field: "email" },
    );
    expect((await t.admin.post("/users", personBody({ userName: "Taken.Name" })).expect(409)).body).toMatchObject({
      code: "userName_taken",
      field: "userName",
    });
  });

  it("invite=now sets invitedAt and queues invitation.requested with the user, in the same write", async () => {
    const res = await t.admin.post("/users", personBody({ invite: "now" })).expect(201);
    expect(res.body.invitedAt).toEqual(expect.any(String));
    // The feed tells the platform of the creation; the outbox queues the invitation only (decision 0156).
    const feed = await t.ds.query("SELECT type FROM events WHERE subject_id = $1 ORDER BY seq", [res.body.id]);
    expect(feed.map((r: { type: string }) => r.type)).toEqual(["user.created"]);
    const topics = await t.ds.query("SELECT topic FROM outbox WHERE payload->>'userId' = $1 ORDER BY id", [
      res.body.id,
    ]);
    expect(topics.map((r: { topic: string }) => r.topic)).toEqual(["invitation.requested"]);
    const actions = await t.ds.query("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id", [res.body.id]);
    expect(actions.map((r: { action: string }) => r.action)).toEqual(["user.created", "user.invited"]);
    const later = await t.admin.post("/users", personBody({ invite: "later" })).expect(201);
    expect(later.body.invitedAt).toBeNull();
    expect(
      await count("SELECT count(*) FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1", [
        later.body.id,
      ]),
    ).toBe(0);
  });

  it("grants a role and admin scope, and shows what the role allows", async () => {
    const e = await entity(t, "Scope-grant");
    const res = await t.admin.post("/users", personBody({ role: "auditor", adminScope: [e] })).expect(201);
    expect(res.body).toMatchObject({
      role: "auditor",
      adminScope: [{ id: e, name: "Scope-grant" }],
      permissions: expect.arrayContaining(["users:read", "audit:read"]),
    });
    expect(res.body.permissions).not.toContain("users:write");
    expect((await t.admin.post("/users", personBody({ adminScope: [e] })).expect(400)).body).toMatchObject({
      field: "adminScope",
    });
    expect(
      (
        await t.admin
          .post("/users", personBody({ role: "admin", adminScope: ["00000000-0000-4000-8000-000000000005"] }))
          .expect(400)
      ).body,
    ).toMatchObject({ field: "adminScope" });
  });

  it("two identical creates at once make one person; the other is told it exists (409)", async () => {
    const body = personBody({ givenName: "Twin", familyName: "Racer" });
    const results = await Promise.all(Array.from({ length: 6 }, () => t.admin.post("/users", body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(
      await count("SELECT count(*) FROM users WHERE roster_lower_values(emails) @> ARRAY[lower($1)]", [body.email]),
    ).toBe(1);
    const sameName = await Promise.all(
      Array.from({ length: 4 }, () => t.admin.post("/users", personBody({ givenName: "Same", familyName: "Person" }))),
    );
    expect(sameName.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(sameName.map((r) => r.body.userName).sort()).toEqual([
      "same.person",
      "same.person2",
      "same.person3",
      "same.person4",
    ]);
  });
});

describe("GET /admin/v1/users/{id}", () => {
  it("shows status fields, the entity and the role; a person SCIM created too", async () => {
    const scim = (
      await t.scim
        .post("/Users", buildScimUser({ name: { givenName: "Jo", familyName: "X" }, preferredLanguage: "de" }))
        .expect(201)
    ).body;
    await t.ds.query("UPDATE users SET enrolled_at = now(), last_login_at = now() WHERE id = $1", [scim.id]);
    const res = await t.admin.get(`/users/${scim.id}`).expect(200);
    expect(res.body).toMatchObject({
      id: scim.id,
      userName: scim.userName,
      givenName: "Jo",
      source: "scim",
      language: "de",
      entity: null,
      role: "member",
      enrolledAt: expect.any(String),
      lastLoginAt: expect.any(String),
    });
    expect(res.headers.etag).toBe('W/"1"');
    await t.admin.get("/users/00000000-0000-4000-8000-000000000001").expect(404);
    await t.admin.get("/users/not-a-uuid").expect(404);
  });
});
