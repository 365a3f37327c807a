import { startTestApp, type TestApp } from "../support/app";
import { entity, person, scopedAdmin } from "../support/admin-fixtures";
import { buildScimUser, ENTERPRISE, USER_SCHEMA } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("PATCH /admin/v1/users/{id}", () => {
  it("changes names, email, userName, language, entity, role and internal/external, auditing each field", async () => {
    const e = await entity(t, "Patch-site");
    const p = await person(t);
    const res = await t.admin
      .patch(`/users/${p.id}`, {
        givenName: "Marie",
        familyName: "Curie",
        email: "marie.curie@corp.test",
        userName: "marie.curie",
        language: "fr",
        entityId: e,
        role: "admin",
        adminScope: [e],
        external: true,
      })
      .expect(200);
    expect(res.body).toMatchObject({
      givenName: "Marie",
      familyName: "Curie",
      displayName: "Marie Curie",
      email: "marie.curie@corp.test",
      userName: "marie.curie",
      language: "fr",
      entity: { id: e },
      role: "admin",
      adminScope: [{ id: e, name: "Patch-site" }],
      external: true,
      version: 2,
    });
    expect(res.headers.etag).toBe('W/"2"');
    const [audit] = await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action = 'user.updated'",
      [p.id],
    );
    expect(Object.keys(audit.changes).sort()).toEqual(
      expect.arrayContaining([
        "entityId",
        "systemRole",
        "adminScope",
        "external",
        "userName",
        "emails",
        "preferredLanguage",
        "name.givenName",
      ]),
    );
    expect(audit.changes.systemRole).toEqual({ before: "member", after: "admin" });
    const back = await t.admin.patch(`/users/${p.id}`, { role: "member", language: null }).expect(200);
    expect(back.body).toMatchObject({ role: "member", adminScope: [], language: null, permissions: [] });
  });

  it("holds hand edits to the manual policy, and refuses taken emails and userNames case-insensitively", async () => {
    const a = await person(t);
    const b = await person(t);
    expect((await t.admin.patch(`/users/${a.id}`, { givenName: "Al" }).expect(400)).body).toMatchObject({
      code: "invalid_value",
      field: "givenName",
    });
    expect((await t.admin.patch(`/users/${a.id}`, { userName: "not valid" }).expect(400)).body).toMatchObject({
      field: "userName",
    });
    expect((await t.admin.patch(`/users/${a.id}`, { email: b.email.toUpperCase() }).expect(409)).body).toMatchObject({
      code: "email_taken",
      field: "email",
    });
    expect(
      (await t.admin.patch(`/users/${a.id}`, { userName: b.userName.toUpperCase() }).expect(409)).body,
    ).toMatchObject({ code: "userName_taken" });
    expect((await t.admin.patch(`/users/${a.id}`, { nickName: "x" }).expect(400)).body).toMatchObject({
      code: "invalid_request",
    });
    expect((await t.admin.get(`/users/${a.id}`).expect(200)).body.version).toBe(1);
  });

  it("gives one address to one person when two edits race for it", async () => {
    const [a, b] = [await person(t), await person(t)];
    const email = "contested@corp.test";
    const results = await Promise.all([
      t.admin.patch(`/users/${a.id}`, { email }),
      t.admin.patch(`/users/${b.id}`, { email }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("checks If-Match (412 version_mismatch) and accepts the current ETag", async () => {
    const p = await person(t);
    expect(
      (await t.admin.patch(`/users/${p.id}`, { external: true }).set("If-Match", 'W/"5"').expect(412)).body.code,
    ).toBe("version_mismatch");
    await t.admin.patch(`/users/${p.id}`, { external: true }).set("If-Match", 'W/"1"').expect(200);
  });

  it("refuses the IdP-owned fields of a SCIM-managed person by name (409 idp_owned_field), and allows the platform's", async () => {
    const scim = (await t.scim.post("/Users", buildScimUser({ preferredLanguage: "en" })).expect(201)).body;
    // The default field ownership (language is the admins').
    for (const [field, value] of [
      ["givenName", "Other"],
      ["familyName", "Other"],
      ["email", "new@corp.test"],
      ["userName", "new.name"],
      ["title", "Boss"],
      ["department", "Sales"],
      ["manager", "someone"],
    ]) {
      const res = await t.admin.patch(`/users/${scim.id}`, { [field]: value }).expect(409);
      expect(res.body).toMatchObject({ code: "idp_owned_field", field });
    }
    // The same values sent back are no change, and the platform's own fields are the admin's to set.
    await t.admin
      .patch(`/users/${scim.id}`, { givenName: "Ada", userName: scim.userName, external: true, role: "auditor" })
      .expect(200);
    // The IdP's next full PUT keeps the platform's fields.
    await t.scim.put(`/Users/${scim.id}`, buildScimUser({ userName: scim.userName, title: "Engineer" })).expect(200);
    expect((await t.admin.get(`/users/${scim.id}`).expect(200)).body).toMatchObject({
      external: true,
      role: "auditor",
    });
  });
});

describe("POST /admin/v1/users/{id}/deactivate and /activate", () => {
  it("deactivation keeps every datum and right; activation restores exactly the previous rights", async () => {
    const lyon = await entity(t, "Lyon-rights");
    const admin = await scopedAdmin(t, [lyon]);
    const before = (await t.admin.get(`/users/${admin.id}`).expect(200)).body;
    await admin.client.get(`/entities/${lyon}`).expect(200);

    const off = await t.admin.post(`/users/${admin.id}/deactivate`).expect(200);
    expect(off.body).toMatchObject({
      active: false,
      role: "admin",
      adminScope: before.adminScope,
      entity: before.entity,
      email: before.email,
    });
    expect((await admin.client.get(`/entities/${lyon}`).expect(403)).body.code).toBe("account_disabled");
    await t.admin.post(`/users/${admin.id}/deactivate`).expect(200); // no change, still 200

    const on = await t.admin.post(`/users/${admin.id}/activate`).expect(200);
    const { version: _v1, updatedAt: _u1, ...was } = before;
    const { version: _v2, updatedAt: _u2, ...now } = on.body;
    expect(now).toEqual(was);
    expect(await t.services.access.rightsOf(admin.id)).toMatchObject({
      role: "admin",
      entityScope: [lyon],
      enabled: true,
    });
    await admin.client.get(`/entities/${lyon}`).expect(200);
    const actions = await t.ds.query(
      "SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'user.%activated' ORDER BY id",
      [admin.id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual(["user.deactivated", "user.reactivated"]);
  });

  it("refuses to let an admin deactivate themselves (409 cannot_deactivate_self)", async () => {
    const e = await entity(t, "Self");
    const admin = await scopedAdmin(t, [e]);
    expect((await admin.client.post(`/users/${admin.id}/deactivate`).expect(409)).body.code).toBe(
      "cannot_deactivate_self",
    );
  });

  it("answers 404 for an unknown person and is refused to auditors", async () => {
    await t.admin.post("/users/00000000-0000-4000-8000-000000000001/deactivate").expect(404);
    const p = await person(t);
    expect(
      (
        await t
          .adminAs(await t.token("auditor"))
          .post(`/users/${p.id}/deactivate`)
          .expect(403)
      ).body.code,
    ).toBe("read_only");
  });
});

describe("SCIM department/organization mapped onto entities is tested in scim-entity-mapping.test.ts", () => {
  it("leaves the entity alone by default (SCIM_ENTITY_MAPPING=none)", async () => {
    await entity(t, "Sales", null, "SALES");
    const body = { ...buildScimUser(), schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { department: "Sales" } };
    const created = (await t.scim.post("/Users", body).expect(201)).body;
    expect((await t.admin.get(`/users/${created.id}`).expect(200)).body.entity).toBeNull();
  });
});
