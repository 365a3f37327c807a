/**
 * Replays what Microsoft Entra ID sends to /Users, over HTTP only, with the bodies copied from Microsoft's docs
 * (use-scim-to-provision-users-and-groups.md "User Operations", application-provisioning-config-problem-scim-compatibility.md)
 * and Microsoft's own Postman collection (AzureAD/SCIMReferenceCode PostmanCollection.json).
 * Statement ids (E1-E24) refer to /work/shared/idp-behaviours.md.
 */
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { ENTERPRISE, PATCH_OP, USER_SCHEMA, uniqueName } from "../support/factories";
import {
  expectPatchOk,
  expectScimError,
  expectScimJson,
  filterUrl,
  type Json,
  LIST_URN,
} from "../support/scim-assertions";

const MANAGER_PATH = `${ENTERPRISE}:manager`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** Entra sends Operations with capitalised ops and the PatchOp schema after them, as in the UG "Disable User" sample. */
const entraPatch = (...Operations: Json[]) => ({ schemas: [PATCH_OP], Operations });

/** The UG "Create User" request body, verbatim apart from the unique values. */
function entraCreateBody(userName = uniqueName("Test_User")): Json {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: randomUUID(),
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: `Test_User_${randomUUID()}@testuser.com` }],
    meta: { resourceType: "User" },
    name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    roles: [],
  };
}

async function entraCreate(body: Json = entraCreateBody()): Promise<Json> {
  const res = await t.scim.post("/Users", body);
  expect(res.status).toBe(201);
  return res.body;
}

const getUser = async (id: string) => {
  const res = await t.scim.get(`/Users/${id}`);
  expect(res.status).toBe(200);
  expectScimJson(res);
  return res.body as Json;
};

describe("Entra ID: Test Connection and user lookup", () => {
  it('E5: Test Connection GET of a random non-existent user id is 404 with the SCIM Error schema and status "404"', async () => {
    for (const id of [randomUUID(), "5171a35d82074e068ce2", "CEC50F275D83C4530A495FCF@834d0e1e5d8235f90a495fda"]) {
      const res = await t.scim.get(`/Users/${id}`);
      expectScimError(res, 404);
    }
  });

  it('E1: GET /Users?filter=userName eq "<unknown>" is 200 with an empty ListResponse (totalResults 0, Resources [])', async () => {
    const res = await t.scim.get(filterUrl(`userName eq "non-existent user ${randomUUID()}"`));
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body.schemas).toEqual([LIST_URN]);
    expect(res.body.totalResults).toBe(0);
    expect(res.body.Resources).toEqual([]);
    expect(res.body.startIndex).toBe(1);
    expect(typeof res.body.itemsPerPage).toBe("number");
  });

  it("E2: a filter with exactly one hit still answers a ListResponse with totalResults 1", async () => {
    const created = await entraCreate();
    const res = await t.scim.get(filterUrl(`userName eq "${created.userName}"`));
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(res.body.Resources).toHaveLength(1);
    expect(res.body.Resources[0]).toMatchObject({
      id: created.id,
      userName: created.userName,
      externalId: created.externalId,
    });
  });

  it('E3: every matching attribute is filterable: userName, emails[type eq "work"].value and externalId', async () => {
    const body = entraCreateBody();
    const created = await entraCreate(body);
    const work = body.emails[0].value as string;
    for (const filter of [
      `userName eq "${body.userName}"`,
      `emails[type eq "work"].value eq "${work}"`,
      `externalId eq "${body.externalId}"`,
    ]) {
      const res = await t.scim.get(filterUrl(filter));
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    }
  });

  it("E3: the `and` operator combines matching attributes", async () => {
    const body = entraCreateBody();
    const created = await entraCreate(body);
    const hit = await t.scim
      .get(filterUrl(`userName eq "${body.userName}" and externalId eq "${body.externalId}"`))
      .expect(200);
    expect(hit.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const miss = await t.scim
      .get(filterUrl(`userName eq "${body.userName}" and externalId eq "${randomUUID()}"`))
      .expect(200);
    expect(miss.body).toMatchObject({ totalResults: 0, Resources: [] });
  });
});

describe("Entra ID: create", () => {
  it("E4: POST /Users with the UG Create User body (core + enterprise schemas, roles: [], client meta) is 201 with id and meta.created/lastModified", async () => {
    const body = entraCreateBody();
    const res = await t.scim.post("/Users", body);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(typeof res.body.id).toBe("string");
    expect(res.body.id).not.toBe("");
    expect(res.body.schemas).toContain(USER_SCHEMA);
    expect(res.body).toMatchObject({
      externalId: body.externalId,
      userName: body.userName,
      active: true,
      name: body.name,
      emails: body.emails,
    });
    expect(res.body.roles ?? []).toEqual([]);
    expect(res.body.meta.resourceType).toBe("User");
    expect(Number.isNaN(Date.parse(res.body.meta.created))).toBe(false);
    expect(Number.isNaN(Date.parse(res.body.meta.lastModified))).toBe(false);
    expect(res.headers.location).toBe(res.body.meta.location);

    const read = await getUser(res.body.id);
    expect(read).toMatchObject({
      id: res.body.id,
      externalId: body.externalId,
      userName: body.userName,
      active: true,
      name: body.name,
      emails: body.emails,
    });
  });

  it('E4 / Postman collection: POST with "Primary", "Department" and "Manager": {"Value"} casing is accepted and answered in schema casing', async () => {
    const userName = uniqueName("UserName222");
    const body = {
      userName,
      active: true,
      displayName: "lennay",
      schemas: [ENTERPRISE, USER_SCHEMA],
      externalId: randomUUID(),
      name: { formatted: "Adrew Ryan", familyName: "Ryan", givenName: "Andrew" },
      emails: [
        { Primary: true, type: "work", value: `work.${userName}` },
        { Primary: false, type: "home", value: `home.${userName}` },
      ],
      [ENTERPRISE]: { Department: "bob", Manager: { Value: "SuzzyQ" } },
    };
    const res = await t.scim.post("/Users", body);
    expect(res.status).toBe(201);
    const read = await getUser(res.body.id);
    expect(read.emails).toEqual([
      { primary: true, type: "work", value: `work.${userName}` },
      { primary: false, type: "home", value: `home.${userName}` },
    ]);
    expect(read.schemas).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE]));
    expect(read[ENTERPRISE]).toMatchObject({ department: "bob", manager: { value: "SuzzyQ" } });
    expect(read[ENTERPRISE].Department).toBeUndefined();
  });

  it("E4 / Postman collection: the lower-case /users path and `DisplayName+eq+...` filter on /Users/ work", async () => {
    const displayName = `BobIsAmazing${randomUUID().slice(0, 8)}`;
    const body: Json = { ...entraCreateBody(), displayName };
    const created = (await t.scim.post("/users", body).expect(201)).body;
    const read = await t.scim.get(`/users/${created.id}`).expect(200);
    expect(read.body.displayName).toBe(displayName);
    const res = await t.scim.get(`/Users/?filter=DisplayName+eq+%22${displayName}%22`);
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const lower = await t.scim.get(`/users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`).expect(200);
    expect(lower.body.totalResults).toBe(1);
  });

  it('E18 / RFC 7643 §2.4: two emails with the same type "work" are accepted (only primary is limited to one)', async () => {
    const body = entraCreateBody();
    body.emails = [
      { primary: true, type: "work", value: `a.${body.userName}` },
      { type: "work", value: `b.${body.userName}` },
    ];
    const res = await t.scim.post("/Users", body);
    expect(res.status).toBe(201);
    expect(res.body.emails).toEqual(body.emails);
  });

  it("E20: a phone number is stored and returned exactly as sent (no reformatting)", async () => {
    const body: Json = {
      ...entraCreateBody(),
      phoneNumbers: [
        { type: "work", value: "55555555555" },
        { type: "mobile", value: "+1 (425) 555-0100 ext. 7" },
      ],
    };
    const created = await entraCreate(body);
    expect(created.phoneNumbers).toEqual(body.phoneNumbers);
    expect((await getUser(created.id)).phoneNumbers).toEqual(body.phoneNumbers);
  });
});

describe("Entra ID: PATCH updates", () => {
  it("E6: capitalised Add, Replace and Remove ops are accepted and applied", async () => {
    const created = await entraCreate({ ...entraCreateBody(), title: "Engineer" });
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch(
        { op: "Add", path: "nickName", value: "Babs" },
        { op: "Replace", path: "displayName", value: "Babs Jensen" },
        { op: "Remove", path: "title" },
      ),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read).toMatchObject({ nickName: "Babs", displayName: "Babs Jensen" });
    expect(read.title).toBeUndefined();
  });

  it("E6: structural elements are matched case-insensitively (`operations` key, `OP` values, attribute names in paths)", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      operations: [
        { op: "REPLACE", path: "DisplayName", value: "Case Insensitive" },
        { op: "replace", path: "Name.FamilyName", value: "Upper" },
      ],
    });
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read.displayName).toBe("Case Insensitive");
    expect(read.name).toMatchObject({ familyName: "Upper", givenName: "givenName" });
  });

  it('E7: Replace on emails[type eq "work"].value and name.familyName in one request is 200 and changes only those values', async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
    });
    expect(res.status).toBe(200);
    const read = await getUser(created.id);
    expect(read.emails).toEqual([{ value: "updatedEmail@microsoft.com", type: "work", primary: true }]);
    expect(read.name).toEqual({
      formatted: "givenName familyName",
      familyName: "updatedFamilyName",
      givenName: "givenName",
    });
    expect(read.userName).toBe(created.userName);
    expect(read.active).toBe(true);
  });

  it("E7: Replace of the single-valued userName is applied and the user is found under the new name only", async () => {
    const created = await entraCreate();
    const newName = `${randomUUID()}@testuser.com`;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch({ op: "Replace", path: "userName", value: newName }),
    );
    expectPatchOk(res);
    expect((await getUser(created.id)).userName).toBe(newName);
    const byNew = await t.scim.get(filterUrl(`userName eq "${newName}"`)).expect(200);
    expect(byNew.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const byOld = await t.scim.get(filterUrl(`userName eq "${created.userName}"`)).expect(200);
    expect(byOld.body.totalResults).toBe(0);
  });

  it("E6: the default (no flag) multi-attribute Replace request from COMPAT is applied in full", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch(
        { op: "Replace", path: "displayName", value: "Pvlo" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "TestBcwqnm@test.microsoft.com" },
        { op: "Replace", path: "name.givenName", value: "Gtfd" },
        { op: "Replace", path: "name.familyName", value: "Pkqf" },
        { op: "Replace", path: "externalId", value: "Eqpj" },
        { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "Eqpj" },
      ),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read).toMatchObject({
      displayName: "Pvlo",
      externalId: "Eqpj",
      name: { givenName: "Gtfd", familyName: "Pkqf", formatted: "givenName familyName" },
      emails: [{ value: "TestBcwqnm@test.microsoft.com", type: "work", primary: true }],
      [ENTERPRISE]: { employeeNumber: "Eqpj" },
    });
    expect(read.schemas).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE]));
  });

  it("E9: with aadOptscim062020, a path-less replace whose keys are dotted and URN paths updates each attribute and nothing else", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch(
        { op: "replace", path: 'emails[type eq "work"].value', value: "TestMhvaes@test.microsoft.com" },
        {
          op: "replace",
          value: {
            displayName: "Bjfe",
            "name.givenName": "Kkom",
            "name.familyName": "Unua",
            [`${ENTERPRISE}:employeeNumber`]: "Aklq",
          },
        },
      ),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read.displayName).toBe("Bjfe");
    expect(read.name).toEqual({ givenName: "Kkom", familyName: "Unua", formatted: "givenName familyName" });
    expect(read.emails).toEqual([{ value: "TestMhvaes@test.microsoft.com", type: "work", primary: true }]);
    expect(read[ENTERPRISE]).toEqual({ employeeNumber: "Aklq" });
    expect(read["name.givenName"]).toBeUndefined();
    expect(read.externalId).toBe(created.externalId);
  });

  it('E9: a path-less replace of only "name.givenName" keeps familyName and formatted', async () => {
    const created = await entraCreate();
    expectPatchOk(
      await t.scim.patch(
        `/Users/${created.id}`,
        entraPatch({ op: "replace", value: { "name.givenName": "OnlyGiven" } }),
      ),
    );
    expect((await getUser(created.id)).name).toEqual({
      givenName: "OnlyGiven",
      familyName: "familyName",
      formatted: "givenName familyName",
    });
  });

  it("E6: manager is set with Add of a bare id on the enterprise manager path, changed with Replace, and cleared with Remove", async () => {
    const manager = await entraCreate();
    const report = await entraCreate();
    expectPatchOk(
      await t.scim.patch(`/Users/${report.id}`, entraPatch({ op: "Add", path: MANAGER_PATH, value: manager.id })),
    );
    const withManager = await getUser(report.id);
    expect(withManager[ENTERPRISE]?.manager?.value).toBe(manager.id);
    expect(withManager.schemas).toContain(ENTERPRISE);

    const other = await entraCreate();
    expectPatchOk(
      await t.scim.patch(`/Users/${report.id}`, entraPatch({ op: "Replace", path: MANAGER_PATH, value: other.id })),
    );
    expect((await getUser(report.id))[ENTERPRISE]?.manager?.value).toBe(other.id);
    expectPatchOk(await t.scim.patch(`/Users/${report.id}`, entraPatch({ op: "Remove", path: MANAGER_PATH })));
    const without = await getUser(report.id);
    expect(without[ENTERPRISE]?.manager).toBeUndefined();
  });

  it('E6: Add on phoneNumbers[type eq "work"].value for a user with no phone creates the work phone', async () => {
    const created = await entraCreate();
    expect(created.phoneNumbers).toBeUndefined();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch({ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "4255550100" }),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read.phoneNumbers).toEqual([{ type: "work", value: "4255550100" }]);
    // A second Add on the same filter now targets the phone it created: still one work phone.
    expectPatchOk(
      await t.scim.patch(
        `/Users/${created.id}`,
        entraPatch({ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "4255550199" }),
      ),
    );
    expect((await getUser(created.id)).phoneNumbers).toEqual([{ type: "work", value: "4255550199" }]);
  });

  it('E6: Add on addresses[type eq "work"].streetAddress and .postalCode in one request creates one work address', async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch(
        { op: "Add", path: 'addresses[type eq "work"].streetAddress', value: "1 Microsoft Way" },
        { op: "Add", path: 'addresses[type eq "work"].postalCode', value: "98052" },
        { op: "Add", path: 'addresses[type eq "other"].Formatted', value: "Building 92" },
      ),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read.addresses).toHaveLength(2);
    expect(read.addresses).toEqual(
      expect.arrayContaining([
        { type: "work", streetAddress: "1 Microsoft Way", postalCode: "98052" },
        { type: "other", formatted: "Building 92" },
      ]),
    );
  });

  it('E6: Add on emails[type eq "other"].Value (proxy-Addresses mapping, capital V) adds an other email beside the work one', async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch({ op: "Add", path: 'emails[type eq "other"].Value', value: "smtp.alias@testuser.com" }),
    );
    expectPatchOk(res);
    const read = await getUser(created.id);
    expect(read.emails).toEqual([created.emails[0], { type: "other", value: "smtp.alias@testuser.com" }]);
  });

  it('E18: Add on emails[type eq "work"].value for a user who has a work email replaces its value instead of adding a second work email', async () => {
    const created = await entraCreate();
    expectPatchOk(
      await t.scim.patch(
        `/Users/${created.id}`,
        entraPatch({ op: "Add", path: 'emails[type eq "work"].value', value: "second@testuser.com" }),
      ),
    );
    const read = await getUser(created.id);
    expect(read.emails).toEqual([{ primary: true, type: "work", value: "second@testuser.com" }]);
  });

  it("E7: Replace on name.givenName for a user created without a name creates the name", async () => {
    const { name: _name, ...body } = entraCreateBody();
    const created = await entraCreate(body);
    expect(created.name).toBeUndefined();
    expectPatchOk(
      await t.scim.patch(
        `/Users/${created.id}`,
        entraPatch(
          { op: "Replace", path: "name.givenName", value: "Late" },
          { op: "Replace", path: "name.familyName", value: "Comer" },
        ),
      ),
    );
    expect((await getUser(created.id)).name).toEqual({ givenName: "Late", familyName: "Comer" });
  });

  it("E20: an invalid value is refused with 400 and a detail naming the attribute; the user is unchanged", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      entraPatch({ op: "Replace", path: "active", value: "Maybe" }),
    );
    expectScimError(res, 400);
    expect(res.body.detail).toMatch(/active/);
    const read = await getUser(created.id);
    expect(read.active).toBe(true);
    expect(read.meta.lastModified).toBe(created.meta.lastModified);
  });

  it("E24: the validator's Remove of the required userName is a 400 (never a 500) and the user is unchanged", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, entraPatch({ op: "Remove", path: "userName" }));
    expectScimError(res, 400);
    expect((await getUser(created.id)).userName).toBe(created.userName);
  });
});

describe("Entra ID: disable, soft delete and hard delete", () => {
  it('E8: disable with the string "False" deactivates the user', async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expectPatchOk(res);
    if (res.status === 200) expect(res.body.active).toBe(false);
    expect((await getUser(created.id)).active).toBe(false);
  });

  it('E8: enable with the string "True" reactivates a disabled user', async () => {
    const created = await entraCreate();
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, entraPatch({ op: "Replace", path: "active", value: "False" })),
    );
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, entraPatch({ op: "Replace", path: "active", value: "True" })),
    );
    expect((await getUser(created.id)).active).toBe(true);
  });

  it("E8: with aadOptscim062020, disable with the boolean false deactivates the user", async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    expectPatchOk(res);
    expect((await getUser(created.id)).active).toBe(false);
  });

  it('E8: the UG Disable User sample (Operations before schemas, "Replace" with boolean false) deactivates the user', async () => {
    const created = await entraCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, {
      Operations: [{ op: "Replace", path: "active", value: false }],
      schemas: [PATCH_OP],
    });
    expectPatchOk(res);
    expect((await getUser(created.id)).active).toBe(false);
  });

  it("E10: a disabled user is still returned by GET /Users/{id} and by every matching filter, with active:false", async () => {
    const body = entraCreateBody();
    const created = await entraCreate(body);
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, entraPatch({ op: "Replace", path: "active", value: "False" })),
    );
    const read = await getUser(created.id);
    expect(read).toMatchObject({
      id: created.id,
      userName: body.userName,
      active: false,
      name: body.name,
      emails: body.emails,
    });
    for (const filter of [
      `userName eq "${body.userName}"`,
      `emails[type eq "work"].value eq "${body.emails[0].value}"`,
      `externalId eq "${body.externalId}"`,
      `userName eq "${body.userName}" and active eq false`,
    ]) {
      const res = await t.scim.get(filterUrl(filter)).expect(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toMatchObject({ id: created.id, active: false });
    } // A full listing (no filter) still includes the disabled user.
    const all = await t.scim.get("/Users?startIndex=1&count=200").expect(200);
    expect(all.body.Resources).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: created.id, active: false })]),
    );
  });

  it("E11: DELETE /Users/{id} is 204 with no body; afterwards the user is gone from GET (404) and from filters", async () => {
    const created = await entraCreate();
    const res = await t.scim.delete(`/Users/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text ?? "").toBe("");
    expectScimError(await t.scim.get(`/Users/${created.id}`), 404);
    const list = await t.scim.get(filterUrl(`userName eq "${created.userName}"`)).expect(200);
    expect(list.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("E11: the full Entra user lifecycle (lookup, create, update, disable, delete) runs end to end", async () => {
    const body = entraCreateBody();
    const lookup = await t.scim.get(filterUrl(`userName eq "${body.userName}"`)).expect(200);
    expect(lookup.body.totalResults).toBe(0);
    const created = await entraCreate(body);
    expectPatchOk(
      await t.scim.patch(
        `/Users/${created.id}`,
        entraPatch({ op: "Replace", path: "name.familyName", value: "Changed" }),
      ),
    );
    expectPatchOk(
      await t.scim.patch(`/Users/${created.id}`, entraPatch({ op: "Replace", path: "active", value: "False" })),
    );
    const disabled = await getUser(created.id);
    expect(disabled).toMatchObject({ active: false, name: { familyName: "Changed" } });
    await t.scim.delete(`/Users/${created.id}`).expect(204);
    expectScimError(await t.scim.get(`/Users/${created.id}`), 404);
  });
});

describe("Entra ID: response format", () => {
  it("E19: every response with a body carries Content-Type application/scim+json (201, 200, list, 400, 404, 409)", async () => {
    const body = entraCreateBody();
    const created = await t.scim.post("/Users", body);
    expect(created.status).toBe(201);
    const responses = [
      created,
      await t.scim.get(`/Users/${created.body.id}`),
      await t.scim.get(filterUrl(`userName eq "${body.userName}"`)),
      await t.scim.get(`/Users/${randomUUID()}`),
      await t.scim.post("/Users", body),
      await t.scim.get(filterUrl("userName eq")),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200, 404, 409, 400]);
    for (const res of responses) expectScimJson(res);
  });
});
