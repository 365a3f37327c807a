/**
 * One user, two IdPs: what Entra ID does and what Okta does to the same /Users resources must converge on the same
 * state. Over HTTP only; bodies as in entra-users.test.ts and okta-users.test.ts.
 * Statement ids refer to /work/shared/idp-behaviours.md ("Cross-IdP statements worth adding to our own suite").
 */
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { ENTERPRISE, PATCH_OP, USER_SCHEMA, uniqueName } from "../support/factories";
import { ERROR_URN, expectPatchOk, filterUrl, type Json, oktaActive } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const oktaLookup = (userName: string) => t.scim.get(filterUrl(`userName eq "${userName}"`, "&startIndex=1&count=100"));

// What each IdP sends.
const entraDisable = (value: string | boolean = "False") => ({
  schemas: [PATCH_OP],
  Operations: [{ op: "Replace", path: "active", value }],
});

/** The profile both IdPs push, in neutral form. */
function profile(userName: string) {
  return {
    userName,
    externalId: randomUUID(),
    name: { formatted: "Grace Hopper", familyName: "Hopper", givenName: "Grace" },
    displayName: "Grace Hopper",
    title: "Rear Admiral",
    email: `mail.${userName}`,
  };
}

/** Entra's create shape, with the booleans as strings ("True") the way the Entra provisioning engine emits them. */
function entraBody(p: ReturnType<typeof profile>): Json {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: p.externalId,
    userName: p.userName,
    active: "True",
    displayName: p.displayName,
    title: p.title,
    emails: [{ primary: "True", type: "work", value: p.email }],
    meta: { resourceType: "User" },
    name: p.name,
    roles: [],
  };
}

/** Okta's create shape (O20). */
function oktaBody(p: ReturnType<typeof profile>): Json {
  return {
    schemas: [USER_SCHEMA],
    userName: p.userName,
    name: p.name,
    emails: [{ primary: true, value: p.email, type: "work" }],
    displayName: p.displayName,
    title: p.title,
    externalId: p.externalId,
    groups: [],
    password: "1mz050nq",
    active: true,
  };
}

async function post(body: Json): Promise<Json> {
  const res = await t.scim.post("/Users", body);
  expect(res.status).toBe(201);
  return res.body;
}
async function get(id: string): Promise<Json> {
  const res = await t.scim.get(`/Users/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}
/**
 * The representation with the per-user values (ids, names, timestamps) taken out, for comparing two users. The
 * manager's `$ref` is dropped too: it is built from the request's Host, and supertest gives each request its own port.
 */
function shape(u: Json): Json {
  const { id: _id, meta, userName: _u, externalId: _e, emails, ...rest } = u;
  const out: Json = {
    ...rest,
    emails: (emails as Json[]).map(({ value: _v, ...e }) => e),
    meta: { resourceType: meta.resourceType },
  };
  const manager = out[ENTERPRISE]?.manager;
  if (manager) out[ENTERPRISE] = { ...out[ENTERPRISE], manager: { value: manager.value } };
  return out;
}

describe("Cross-IdP: deactivation converges", () => {
  it("E8 + O6: a user created by Entra with string booleans and deactivated by Okta's no-path PATCH ends in the same state as one created by Okta and deactivated by Entra's \"False\"", async () => {
    const pa = profile(uniqueName("entra.then.okta"));
    const pb = profile(uniqueName("okta.then.entra"));
    const a = await post(entraBody(pa));
    const b = await post(oktaBody(pb));
    expect(a.active).toBe(true);
    expect(a.emails).toEqual([{ primary: true, type: "work", value: pa.email }]);

    expectPatchOk(await t.scim.patch(`/Users/${a.id}`, oktaActive(false)));
    expectPatchOk(await t.scim.patch(`/Users/${b.id}`, entraDisable("False")));

    const ra = await get(a.id);
    const rb = await get(b.id);
    expect(ra.active).toBe(false);
    expect(rb.active).toBe(false);
    expect(shape(ra)).toEqual(shape(rb));
    expect(ra).toMatchObject({
      userName: pa.userName,
      externalId: pa.externalId,
      name: pa.name,
      title: pa.title,
      emails: [{ primary: true, type: "work", value: pa.email }],
    });
    expect(rb).toMatchObject({
      userName: pb.userName,
      externalId: pb.externalId,
      name: pb.name,
      title: pb.title,
      emails: [{ primary: true, type: "work", value: pb.email }],
    });

    // Both stay findable (E10, O7) and both answer `active eq false`.
    for (const [p, id] of [
      [pa, a.id],
      [pb, b.id],
    ] as const) {
      const res = await t.scim.get(filterUrl(`userName eq "${p.userName}" and active eq false`)).expect(200);
      expect(res.body.Resources.map((r: Json) => r.id)).toEqual([id]);
      const byMail = await t.scim.get(filterUrl(`emails[type eq "work"].value eq "${p.email}"`)).expect(200);
      expect(byMail.body.Resources).toEqual([expect.objectContaining({ id, active: false })]);
    }
  });

  it('E8 + O6: a user disabled by one IdP is re-enabled by the other (Entra "False" -> Okta active:true, Okta active:false -> Entra "True")', async () => {
    const a = await post(entraBody(profile(uniqueName("entra.off"))));
    expectPatchOk(await t.scim.patch(`/Users/${a.id}`, entraDisable("False")));
    expect((await get(a.id)).active).toBe(false);
    expectPatchOk(await t.scim.patch(`/Users/${a.id}`, oktaActive(true)));
    expect((await get(a.id)).active).toBe(true);

    const b = await post(oktaBody(profile(uniqueName("okta.off"))));
    expectPatchOk(await t.scim.patch(`/Users/${b.id}`, oktaActive(false)));
    expect((await get(b.id)).active).toBe(false);
    expectPatchOk(await t.scim.patch(`/Users/${b.id}`, entraDisable("True")));
    expect((await get(b.id)).active).toBe(true);
  });

  it("E8 + O5 + O6: deactivating an already deactivated user is accepted by every dialect and leaves it inactive", async () => {
    const u = await post(oktaBody(profile(uniqueName("twice.off"))));
    expectPatchOk(await t.scim.patch(`/Users/${u.id}`, oktaActive(false)));
    expectPatchOk(await t.scim.patch(`/Users/${u.id}`, entraDisable("False")));
    expectPatchOk(await t.scim.patch(`/Users/${u.id}`, entraDisable(false)));
    const current = await get(u.id);
    const put = await t.scim.put(`/Users/${u.id}`, { ...current, active: false });
    expect(put.status).toBe(200);
    const read = await get(u.id);
    expect(read.active).toBe(false);
    expect(shape(read)).toEqual(shape(current));
  });

  it("E10 + O5: a user deactivated by Okta's PUT active:false is still found by Entra's lookups with active:false", async () => {
    const p = profile(uniqueName("aiw.off"));
    const created = await post(entraBody(p));
    const current = await get(created.id);
    expect((await t.scim.put(`/Users/${created.id}`, { ...current, active: false })).status).toBe(200);
    for (const filter of [
      `userName eq "${p.userName}"`,
      `emails[type eq "work"].value eq "${p.email}"`,
      `externalId eq "${p.externalId}"`,
    ]) {
      const res = await t.scim.get(filterUrl(filter)).expect(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toMatchObject({ id: created.id, active: false });
    }
  });
});

describe("Cross-IdP: userName matching", () => {
  it("O14 + E1: userName lookups are case-insensitive and keep the stored casing; Okta's POST in another case is 409 uniqueness, not a duplicate", async () => {
    const userName = uniqueName("Grace.Hopper").replace("@example.test", "@Example.TEST");
    const created = await post(entraBody(profile(userName)));
    expect(created.userName).toBe(userName);

    for (const variant of [userName.toLowerCase(), userName.toUpperCase(), userName]) {
      const res = await oktaLookup(variant);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toMatchObject({ id: created.id, userName });
    }

    const dup = await t.scim.post("/Users", oktaBody(profile(userName.toLowerCase())));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR_URN], status: "409", scimType: "uniqueness" });
    expect(dup.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect((await oktaLookup(userName.toLowerCase())).body.totalResults).toBe(1);
    expect((await get(created.id)).userName).toBe(userName);
  });
});

describe("Cross-IdP: updates from one IdP keep what the other set", () => {
  it("O5 + E6 + E9: Okta's GET-then-PUT round trip keeps the enterprise department, employeeNumber and manager Entra set", async () => {
    const manager = await post(entraBody(profile(uniqueName("manager"))));
    const created = await post(entraBody(profile(uniqueName("report"))));
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Add", path: `${ENTERPRISE}:manager`, value: manager.id },
          { op: "replace", value: { [`${ENTERPRISE}:department`]: "Navy", [`${ENTERPRISE}:employeeNumber`]: "1906" } },
        ],
      }),
    );
    const before = await get(created.id);
    expect(before[ENTERPRISE]).toMatchObject({
      department: "Navy",
      employeeNumber: "1906",
      manager: { value: manager.id },
    });

    const put = await t.scim.put(`/Users/${created.id}`, {
      ...before,
      name: { ...before.name, givenName: "Amazing Grace" },
    });
    expect(put.status).toBe(200);
    const after = await get(created.id);
    expect(after.name.givenName).toBe("Amazing Grace");
    expect(after[ENTERPRISE]).toMatchObject({
      department: "Navy",
      employeeNumber: "1906",
      manager: { value: manager.id },
    });
    expect(shape({ ...after, name: before.name })).toEqual(shape(before));
  });

  it("E7 + O5: Entra's PATCH of the work email after Okta's create changes only that value, and Okta's next GET sees it", async () => {
    const p = profile(uniqueName("okta.created"));
    const created = await post(oktaBody(p));
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: `new.${p.email}` }],
      }),
    );
    const read = await get(created.id);
    expect(read.emails).toEqual([{ primary: true, value: `new.${p.email}`, type: "work" }]);
    expect(shape(read)).toEqual(shape(created));
  });
});

describe("Cross-IdP: hard delete then re-assignment", () => {
  it("E11 + O1 + O2: after Entra's DELETE, Okta's lookup misses and Okta's POST creates the user again with 201", async () => {
    const p = profile(uniqueName("deleted.then.okta"));
    const created = await post(entraBody(p));
    await t.scim.delete(`/Users/${created.id}`).expect(204);
    const miss = await oktaLookup(p.userName);
    expect(miss.status).toBe(200);
    expect(miss.body).toMatchObject({ totalResults: 0, Resources: [] });

    const back = await t.scim.post("/Users", oktaBody(p));
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ userName: p.userName, active: true, name: p.name });
    const hit = await oktaLookup(p.userName);
    expect(hit.body.Resources).toEqual([expect.objectContaining({ id: back.body.id, active: true })]);
  });
});
