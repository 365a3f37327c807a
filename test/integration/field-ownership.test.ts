import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";

// The field-ownership setting (GET/PUT /admin/v1/settings/field-ownership): the admin door refuses IdP-owned fields of
// SCIM-managed people, an IdP push never overwrites an admin-owned field, and a change applies at once.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.ds.query("TRUNCATE settings");
  t.services.settings.forget();
});

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const DEFAULTS = {
  userName: "idp",
  givenName: "idp",
  familyName: "idp",
  email: "idp",
  title: "idp",
  department: "idp",
  manager: "idp",
  language: "admin",
};

const setOwners = async (fields: Record<string, string>) =>
  (await t.admin.put("/settings/field-ownership", { fields }).expect(200)).body;
const scimPerson = async (extra: Record<string, unknown> = {}) =>
  (await t.scim.post("/Users", buildScimUser({ title: "Engineer", preferredLanguage: "en", ...extra })).expect(201))
    .body;
const lastUpdate = async (id: string) =>
  (
    await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action IN ('user.updated', 'user.restored') ORDER BY id DESC LIMIT 1",
      [id],
    )
  )[0]?.changes;

describe("the field-ownership setting", () => {
  it("reads the published defaults (version 0), and a PUT replaces it: fields left out take their default", async () => {
    const res = await t.admin.get("/settings/field-ownership").expect(200);
    expect(res.body).toEqual({ fields: DEFAULTS });
    expect(res.headers.etag).toBe('W/"0"');
    const saved = await t.admin
      .put("/settings/field-ownership", { fields: { title: "admin", emails: "admin" } })
      .expect(200);
    expect(saved.body.fields).toEqual({ ...DEFAULTS, title: "admin", email: "admin" });
    expect(saved.headers.etag).toBe('W/"1"');
    const [audit] = await t.ds.query(
      "SELECT changes, door FROM audit_events WHERE action = 'settings.updated' AND target_id = 'field-ownership'",
    );
    expect(audit).toEqual({
      door: "admin",
      changes: { title: { before: "idp", after: "admin" }, email: { before: "idp", after: "admin" } },
    });
    expect((await t.admin.put("/settings/field-ownership", { fields: {} }).expect(200)).body.fields).toEqual(DEFAULTS);
  });

  it("refuses an unknown field or owner with a 400 naming it, and changes nothing", async () => {
    const unknown = await t.admin
      .put("/settings/field-ownership", { fields: { givenName: "admin", shoeSize: "admin" } })
      .expect(400);
    expect(unknown.body).toMatchObject({ code: "invalid_value", field: "fields.shoeSize" });
    const owner = await t.admin.put("/settings/field-ownership", { fields: { title: "hr" } }).expect(400);
    expect(owner.body).toMatchObject({ code: "invalid_value", field: "fields.title" });
    await t.admin.put("/settings/field-ownership", { field: {} }).expect(400);
    const res = await t.admin.get("/settings/field-ownership").expect(200);
    expect(res.headers.etag).toBe('W/"0"');
    expect(res.body.fields).toEqual(DEFAULTS);
    const auditor = await t.token("auditor");
    await t.adminAs(auditor).get("/settings/field-ownership").expect(200);
    await t.adminAs(auditor).put("/settings/field-ownership", { fields: {} }).expect(403);
  });
});

describe("the admin door", () => {
  it("refuses IdP-owned fields of a SCIM-managed person (409 idp_owned_field) and allows them once the admins own them", async () => {
    const p = await scimPerson();
    expect((await t.admin.patch(`/users/${p.id}`, { title: "Boss" }).expect(409)).body).toMatchObject({
      code: "idp_owned_field",
      field: "title",
    });
    // language is the admins' by default
    expect((await t.admin.patch(`/users/${p.id}`, { language: "fr" }).expect(200)).body.language).toBe("fr");

    await setOwners({ title: "admin", language: "idp" });
    const res = await t.admin.patch(`/users/${p.id}`, { title: "Boss" }).expect(200);
    expect(res.body.title).toBe("Boss");
    expect((await lastUpdate(p.id)).title).toEqual({ before: "Engineer", after: "Boss" });
    expect((await t.admin.patch(`/users/${p.id}`, { language: "de" }).expect(409)).body.field).toBe("language");
  });

  it("lets admins change any field of a person created by hand", async () => {
    const created = await t.admin.post("/users", {
      email: "hand.made@corp.test",
      givenName: "Hand",
      familyName: "Made",
    });
    expect(created.status).toBe(201);
    await t.admin.patch(`/users/${created.body.id}`, { title: "Chef", department: "Kitchen" }).expect(200);
  });
});

describe("an IdP push", () => {
  it("PUT and PATCH never overwrite an admin-owned field: that value is dropped (audited), the rest applies", async () => {
    const p = await scimPerson();
    await t.admin.patch(`/users/${p.id}`, { language: "fr" }).expect(200);

    const put = await t.scim
      .put(`/Users/${p.id}`, buildScimUser({ userName: p.userName, title: "Lead", preferredLanguage: "de" }))
      .expect(200);
    expect(put.body).toMatchObject({ title: "Lead", preferredLanguage: "fr" });
    expect(await lastUpdate(p.id)).toMatchObject({
      title: { before: "Engineer", after: "Lead" },
      ignoredAttributes: { before: null, after: ["preferredLanguage (owned by admins)"] },
    });
    expect((await lastUpdate(p.id)).preferredLanguage).toBeUndefined();

    const patched = await t.scim
      .patch(
        `/Users/${p.id}`,
        patchOp(
          { op: "replace", path: "preferredLanguage", value: "es" },
          { op: "replace", path: "nickName", value: "Ada" },
        ),
      )
      .expect(200);
    expect(patched.body).toMatchObject({ nickName: "Ada", preferredLanguage: "fr" });
    expect((await t.admin.get(`/users/${p.id}`).expect(200)).body.language).toBe("fr");
  });

  it("follows a change of the setting at run time, in both directions", async () => {
    const p = await scimPerson({
      schemas: [buildScimUser().schemas, ENTERPRISE].flat(),
      [ENTERPRISE]: { department: "R&D" },
    });
    await setOwners({ department: "admin" });
    await t.admin.patch(`/users/${p.id}`, { department: "Research" }).expect(200);
    const dropped = await t.scim
      .patch(`/Users/${p.id}`, patchOp({ op: "replace", path: `${ENTERPRISE}:department`, value: "Sales" }))
      .expect(200);
    expect(dropped.body[ENTERPRISE].department).toBe("Research");

    await setOwners({});
    const applied = await t.scim
      .patch(`/Users/${p.id}`, patchOp({ op: "replace", path: `${ENTERPRISE}:department`, value: "Sales" }))
      .expect(200);
    expect(applied.body[ENTERPRISE].department).toBe("Sales");
    expect((await lastUpdate(p.id))["enterprise.department"]).toEqual({ before: "Research", after: "Sales" });
    expect((await t.admin.patch(`/users/${p.id}`, { department: "Ops" }).expect(409)).body.field).toBe("department");
  });

  it("through /Bulk, and a SCIM POST bringing back a removed account, keeps admin-owned fields too", async () => {
    const p = await scimPerson();
    await setOwners({ title: "admin", givenName: "admin" });
    await t.admin.patch(`/users/${p.id}`, { title: "Admiral", givenName: "Augusta" }).expect(200);
    const res = await t.scim
      .post("/Bulk", {
        schemas: [BULK],
        Operations: [
          {
            method: "PUT",
            path: `/Users/${p.id}`,
            data: buildScimUser({ userName: p.userName, title: "Clerk", nickName: "Countess" }),
          },
        ],
      })
      .expect(200);
    expect(res.body.Operations[0].status).toBe("200");
    const after = (await t.scim.get(`/Users/${p.id}`).expect(200)).body;
    expect(after).toMatchObject({ title: "Admiral", nickName: "Countess", name: { givenName: "Augusta" } });
    // language stays the admins' (a default): the PUT leaving it out does not clear it either.
    expect((await lastUpdate(p.id)).ignoredAttributes.after.sort()).toEqual([
      "name.givenName (owned by admins)",
      "preferredLanguage (owned by admins)",
      "title (owned by admins)",
    ]);

    await t.scim.delete(`/Users/${p.id}`).expect(204);
    const back = await t.scim.post("/Users", buildScimUser({ userName: p.userName, title: "Clerk" })).expect(201);
    expect(back.body).toMatchObject({ id: p.id, title: "Admiral", name: { givenName: "Augusta" } });
    expect((await lastUpdate(p.id)).ignoredAttributes.after).toContain("title (owned by admins)");
  });

  it("creating a person takes every value the IdP sends (there is nothing to overwrite)", async () => {
    await setOwners({ title: "admin" });
    const p = await scimPerson({ title: "Founder", preferredLanguage: "it" });
    expect(p).toMatchObject({ title: "Founder", preferredLanguage: "it" });
  });
});
