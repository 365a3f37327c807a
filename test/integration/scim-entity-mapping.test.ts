import { createServices } from "../../src/composition";
import { emptyProfile } from "../../src/domain/users/user";
import { startTestApp, type TestApp } from "../support/app";
import { entity } from "../support/admin-fixtures";
import { buildScimUser, ENTERPRISE, patchOp, USER_SCHEMA } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SCIM_ENTITY_MAPPING: "department" });
});
afterAll(async () => t.close());

const withDepartment = (department: string | undefined, extra: Record<string, unknown> = {}) =>
  buildScimUser({ schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { department, organization: "Acme" }, ...extra });
const entityOf = async (id: string) =>
  (await t.ds.query("SELECT entity_id FROM users WHERE id = $1", [id]))[0].entity_id;

describe("SCIM_ENTITY_MAPPING=department: the IdP's department places the person in an entity", () => {
  let sales: string, marketing: string;
  beforeAll(async () => {
    const root = await entity(t, "Acme");
    sales = await entity(t, "Sales Department", root, "SALES");
    marketing = await entity(t, "Marketing", root);
  });

  it("matches the external key (case-insensitive) on create, in the same write and audit record", async () => {
    const created = (await t.scim.post("/Users", withDepartment("sales")).expect(201)).body;
    expect(await entityOf(created.id)).toBe(sales);
    const [audit] = await t.ds.query(
      "SELECT changes FROM audit_events WHERE target_id = $1 AND action = 'user.created'",
      [created.id],
    );
    expect(audit.changes.entityId).toEqual({ before: null, after: sales });
  });

  it("falls back to the entity's name, and matches nothing when two entities share it", async () => {
    const byName = (await t.scim.post("/Users", withDepartment("MARKETING")).expect(201)).body;
    expect(await entityOf(byName.id)).toBe(marketing);
    await entity(t, "Ops", sales);
    await entity(t, "Ops", marketing);
    const ambiguous = (await t.scim.post("/Users", withDepartment("ops")).expect(201)).body;
    expect(await entityOf(ambiguous.id)).toBeNull();
  });

  it("leaves the entity unchanged, without an error, when the value matches nothing", async () => {
    const created = (await t.scim.post("/Users", withDepartment("SALES")).expect(201)).body;
    await t.scim
      .patch(
        `/Users/${created.id}`,
        patchOp({ op: "replace", path: `${ENTERPRISE}:department`, value: "Unknown team" }),
      )
      .expect(200);
    expect(await entityOf(created.id)).toBe(sales);
  });

  it("moves the person when the department changes (PATCH), and on a PUT restating it", async () => {
    const created = (await t.scim.post("/Users", withDepartment("SALES")).expect(201)).body;
    await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: `${ENTERPRISE}:department`, value: "marketing" }))
      .expect(200);
    expect(await entityOf(created.id)).toBe(marketing);
    await t.ds.query("UPDATE users SET entity_id = NULL WHERE id = $1", [created.id]);
    await t.scim.put(`/Users/${created.id}`, withDepartment("Marketing", { userName: created.userName })).expect(200);
    expect(await entityOf(created.id)).toBe(marketing);
    const events = await t.ds.query(
      "SELECT data FROM events WHERE type = 'user.updated' AND subject_id = $1 ORDER BY seq",
      [created.id],
    );
    expect(events[0].data.fields).toEqual(expect.arrayContaining(["enterprise.department", "entityId"]));
  });

  it("keeps the entity the IdP placed someone in from being changed by hand (409 idp_owned_field)", async () => {
    const created = (await t.scim.post("/Users", withDepartment("SALES")).expect(201)).body;
    const res = await t.admin.patch(`/users/${created.id}`, { entityId: marketing }).expect(409);
    expect(res.body).toMatchObject({ code: "idp_owned_field", field: "entityId" });
    const unmatched = (await t.scim.post("/Users", withDepartment("Nowhere")).expect(201)).body;
    await t.admin.patch(`/users/${unmatched.id}`, { entityId: marketing }).expect(200);
  });

  it("does not hold IdP input to the manual policy", async () => {
    await t.scim
      .post("/Users", buildScimUser({ userName: "x_1@corp.test", name: { givenName: "X1", familyName: "Y" } }))
      .expect(201);
  });
});

describe("SCIM_ENTITY_MAPPING=organization", () => {
  it("matches the enterprise organization instead of the department", async () => {
    const subsidiary = await entity(t, "Acme Iberia", null, "ACME-ES");
    const { users } = createServices(t.ds, { ...t.cfg, SCIM_ENTITY_MAPPING: "organization" });
    const profile = emptyProfile("iberia.person@corp.test");
    profile.enterprise = { ...profile.enterprise, organization: "acme-es", department: "SALES" };
    const created = await users.create(
      { actor: { type: "token", id: null, name: "idp" }, door: "scim", requestId: null },
      { profile },
      "scim",
    );
    expect(created.account.entityId).toBe(subsidiary);
  });
});
