/**
 * RFC 7643 / RFC 7644 behaviours of /Users and the discovery endpoints that are not tied to one IdP, over HTTP only.
 * Where Roster made its own choice on top of the RFC (see /work/shared/idp-behaviours.md), the test says so.
 */
import { randomUUID } from "node:crypto";
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, ENTERPRISE, PATCH_OP, patchOp, USER_SCHEMA, uniqueName } from "../support/factories";
import { expectScimError, expectScimJson, filterUrl, type Json, LIST_URN } from "../support/scim-assertions";

const SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function create(overrides: Json = {}): Promise<Json> {
  const res = await t.scim.post("/Users", buildScimUser(overrides));
  expect(res.status).toBe(201);
  return res.body;
}
/** Paths of every null found anywhere in a JSON value. */
function nullPaths(v: unknown, path = "$"): string[] {
  if (v === null) return [path];
  if (Array.isArray(v)) return v.flatMap((e, i) => nullPaths(e, `${path}[${i}]`));
  if (typeof v === "object") return Object.entries(v as Json).flatMap(([k, e]) => nullPaths(e, `${path}.${k}`));
  return [];
}

describe("RFC 7644 §3.3 create and §3.4.1 read", () => {
  it("RFC 7644 §3.3: POST is 201 with the resource, a Location header equal to meta.location and an ETag equal to meta.version", async () => {
    const body = buildScimUser({ displayName: "Ada" });
    const res = await t.scim.post("/Users", body);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.headers.location).toBeTruthy();
    expect(res.headers.location).toBe(res.body.meta.location);
    expect(res.headers.location).toMatch(new RegExp(`/Users/${res.body.id}$`));
    expect(res.headers.etag).toBeTruthy();
    expect(res.body.meta.version).toBe(res.headers.etag);
    expect(res.body).toMatchObject({ userName: body.userName, displayName: "Ada", meta: { resourceType: "User" } });
    const read = await t.scim.get(new URL(res.headers.location).pathname.replace(/^\/scim\/v2/, "")).expect(200);
    expect(read.body.id).toBe(res.body.id);
  });

  it("RFC 7643 §3.1: a client-sent id (readOnly) is ignored on POST and the server issues its own", async () => {
    const clientId = randomUUID();
    const res = await t.scim.post("/Users", { ...buildScimUser(), id: clientId });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(clientId);
    expectScimError(await t.scim.get(`/Users/${clientId}`), 404);
  });

  it("RFC 7643 §2.1: attribute names in a POST body are case-insensitive and come back in schema casing", async () => {
    const userName = uniqueName("Case.Body");
    const res = await t.scim.post("/Users", {
      Schemas: [USER_SCHEMA],
      UserName: userName,
      NAME: { GivenName: "Ada", FAMILYNAME: "Lovelace" },
      Active: true,
    });
    expect(res.status).toBe(201);
    const read = (await t.scim.get(`/Users/${res.body.id}`).expect(200)).body;
    expect(read).toMatchObject({ userName, name: { givenName: "Ada", familyName: "Lovelace" }, active: true });
    expect(read.UserName).toBeUndefined();
  });

  it('RFC 7643 §4.1: password is returned "never": not on POST, GET, list, nor when asked for with attributes=password', async () => {
    const created = await create({ password: "N3verSt0red!" });
    expect(created.password).toBeUndefined();
    expect((await t.scim.get(`/Users/${created.id}`).expect(200)).body.password).toBeUndefined();
    expect((await t.scim.get(`/Users/${created.id}?attributes=password`).expect(200)).body.password).toBeUndefined();
    const list = await t.scim.get(filterUrl(`userName eq "${created.userName}"`)).expect(200);
    expect(list.body.Resources[0].password).toBeUndefined();
  });

  it("RFC 7643 §3.1: an update changes meta.lastModified and meta.version but never meta.created", async () => {
    const created = await create();
    await new Promise((r) => setTimeout(r, 5));
    const patched = await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "Later" }))
      .expect(200);
    expect(patched.body.meta.created).toBe(created.meta.created);
    expect(Date.parse(patched.body.meta.lastModified)).toBeGreaterThan(Date.parse(created.meta.lastModified));
    expect(patched.body.meta.version).not.toBe(created.meta.version);
    expect(patched.headers.etag).toBe(patched.body.meta.version);
  });
});

describe("RFC 7644 §3.14 versioning (ETag)", () => {
  it("RFC 7644 §3.14: GET carries an ETag; If-None-Match with it is 304 with no body, with a stale one is 200", async () => {
    const created = await create();
    const read = await t.scim.get(`/Users/${created.id}`).expect(200);
    const etag = read.headers.etag;
    expect(etag).toBe(created.meta.version);
    const notModified = await t.scim.get(`/Users/${created.id}`).set("If-None-Match", etag);
    expect(notModified.status).toBe(304);
    expect(notModified.text ?? "").toBe("");
    await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Changed" })).expect(200);
    const modified = await t.scim.get(`/Users/${created.id}`).set("If-None-Match", etag);
    expect(modified.status).toBe(200);
    expect(modified.body.title).toBe("Changed");
    expect(modified.headers.etag).not.toBe(etag);
  });

  it("RFC 7644 §3.14: PUT, PATCH and DELETE with a stale If-Match are 412 and change nothing; with the current ETag they succeed", async () => {
    const created = await create({ title: "Original" });
    const stale = 'W/"999"';
    expectScimError(
      await t.scim
        .put(`/Users/${created.id}`, buildScimUser({ userName: created.userName, title: "PUT" }))
        .set("If-Match", stale),
      412,
    );
    expectScimError(
      await t.scim
        .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "PATCH" }))
        .set("If-Match", stale),
      412,
    );
    expectScimError(await t.scim.delete(`/Users/${created.id}`).set("If-Match", stale), 412);
    const unchanged = await t.scim.get(`/Users/${created.id}`).expect(200);
    expect(unchanged.body.title).toBe("Original");
    expect(unchanged.headers.etag).toBe(created.meta.version);

    const put = await t.scim
      .put(`/Users/${created.id}`, buildScimUser({ userName: created.userName, title: "PUT" }))
      .set("If-Match", created.meta.version);
    expect(put.status).toBe(200);
    const patched = await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "PATCH" }))
      .set("If-Match", put.headers.etag);
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBe("PATCH");
    await t.scim.delete(`/Users/${created.id}`).set("If-Match", patched.headers.etag).expect(204);
  });
  it("RFC 7644 §3.14 / RFC 7232: If-Match: * matches any current version; If-None-Match with a list containing the current ETag is 304", async () => {
    const created = await create();
    const patched = await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Star" }))
      .set("If-Match", "*");
    expect(patched.status).toBe(200);
    const etag = patched.headers.etag;
    await t.scim.get(`/Users/${created.id}`).set("If-None-Match", `W/"999", ${etag}`).expect(304);
    await t.scim.get(`/Users/${created.id}`).set("If-None-Match", "*").expect(304);
  });
});

describe("RFC 7644 §3.4.2 query: attributes, sorting, paging, filters", () => {
  it('RFC 7644 §3.4.2.5: attributes returns only the requested attributes plus those returned "always" (id, schemas)', async () => {
    const created = await create({ displayName: "Shown", title: "Hidden" });
    const one = (await t.scim.get(`/Users/${created.id}?attributes=displayName,name.givenName`).expect(200)).body;
    expect(one.id).toBe(created.id);
    expect(one.schemas).toContain(USER_SCHEMA);
    expect(one.displayName).toBe("Shown");
    expect(one.name).toEqual({ givenName: "Ada" });
    expect(one.title).toBeUndefined();
    expect(one.emails).toBeUndefined();
    const list = (await t.scim.get(filterUrl(`userName eq "${created.userName}"`, "&attributes=userName")).expect(200))
      .body;
    expect(Object.keys(list.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
  });

  it("RFC 7644 §3.4.2.5: excludedAttributes drops the named attributes but never id or schemas", async () => {
    const created = await create({
      displayName: "Shown",
      title: "Hidden",
      schemas: [USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { department: "Eng", employeeNumber: "42" },
    });
    const one = (
      await t.scim
        .get(`/Users/${created.id}?excludedAttributes=title,emails,id,schemas,${ENTERPRISE}:department`)
        .expect(200)
    ).body;
    expect(one.id).toBe(created.id);
    expect(one.schemas).toContain(USER_SCHEMA);
    expect(one.title).toBeUndefined();
    expect(one.emails).toBeUndefined();
    expect(one.displayName).toBe("Shown");
    expect(one.userName).toBe(created.userName);
    expect(one[ENTERPRISE]).toEqual({ employeeNumber: "42" });
  });

  it("RFC 7644 §3.4.2.3: sortBy with sortOrder ascending and descending orders the matching users", async () => {
    const prefix = `sort${randomUUID().slice(0, 8)}`;
    for (const n of ["b", "C", "a"]) await create({ userName: `${prefix}.${n}@example.test`, displayName: n });
    const names = async (order: string) =>
      (
        await t.scim.get(filterUrl(`userName sw "${prefix}"`, `&sortBy=userName&sortOrder=${order}`)).expect(200)
      ).body.Resources.map((r: Json) => r.displayName);
    expect(await names("ascending")).toEqual(["a", "b", "C"]);
    expect(await names("descending")).toEqual(["C", "b", "a"]);
  });

  it("RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1 and a negative count as 0", async () => {
    const prefix = `page${randomUUID().slice(0, 8)}`;
    for (const n of ["a", "b"]) await create({ userName: `${prefix}.${n}@example.test` });
    const zero = (await t.scim.get(filterUrl(`userName sw "${prefix}"`, "&startIndex=0&count=10")).expect(200)).body;
    expect(zero).toMatchObject({ startIndex: 1, totalResults: 2, itemsPerPage: 2 });
    const negative = (await t.scim.get(filterUrl(`userName sw "${prefix}"`, "&startIndex=1&count=-5")).expect(200))
      .body;
    expect(negative).toMatchObject({ totalResults: 2, itemsPerPage: 0 });
    expect(negative.Resources ?? []).toEqual([]);
  });

  it("RFC 7644 §3.4.2.2: attribute names and operators in a filter are case-insensitive", async () => {
    const created = await create();
    for (const filter of [
      `USERNAME EQ "${created.userName}"`,
      `username Eq "${created.userName}"`,
      `Emails[Type eq "work"].Value eq "${created.userName}"`,
    ]) {
      const res = await t.scim.get(filterUrl(filter)).expect(200);
      expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    }
  });

  it("RFC 7644 §3.4.2.2 / RFC 7643 §3.1, §4.1: eq follows caseExact: emails.value matches in any case, externalId only exactly", async () => {
    const externalId = `Ext-${randomUUID()}`;
    const created = await create({ externalId });
    const byMail = await t.scim.get(filterUrl(`emails.value eq "${created.userName.toUpperCase()}"`)).expect(200);
    expect(byMail.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const exact = await t.scim.get(filterUrl(`externalId eq "${externalId}"`)).expect(200);
    expect(exact.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const otherCase = await t.scim.get(filterUrl(`externalId eq "${externalId.toLowerCase()}"`)).expect(200);
    expect(otherCase.body.totalResults).toBe(0);
  });

  it('RFC 7644 §3.4.2.2 / §3.10: a filter on a fully qualified core attribute (urn:...:User:userName sw "J", the RFC\'s own example form) works', async () => {
    const created = await create({ displayName: "Qualified" });
    const res = await t.scim.get(filterUrl(`${USER_SCHEMA}:userName eq "${created.userName}"`));
    expect(res.body.detail ?? "").toBe("");
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    const sw = await t.scim.get(filterUrl(`${USER_SCHEMA}:userName sw "${created.userName.slice(0, 12)}"`)).expect(200);
    expect(sw.body.Resources.map((r: Json) => r.id)).toContain(created.id);
  });

  it("RFC 7644 §3.4.2.5 / §3.10: attributes accepts a fully qualified core attribute name", async () => {
    const created = await create({ displayName: "Qualified" });
    const res = await t.scim.get(`/Users/${created.id}?attributes=${USER_SCHEMA}:displayName`);
    expect(res.body.detail ?? "").toBe("");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: [USER_SCHEMA], id: created.id, displayName: "Qualified" });
  });

  it("RFC 7644 §3.4.2.3 / §3.10: sortBy accepts a fully qualified core attribute name", async () => {
    const created = await create();
    const res = await t.scim.get(
      filterUrl(`userName eq "${created.userName}"`, `&sortBy=${USER_SCHEMA}:name.familyName`),
    );
    expect(res.body.detail ?? "").toBe("");
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(1);
  });

  it.each([
    ["a double quote", `Conan "The" O'Brien.${randomUUID().slice(0, 8)}@example.test`],
    ["a backslash", `corp\\conan.${randomUUID().slice(0, 8)}@example.test`],
  ])(
    "RFC 7644 §3.4.2.2: a compValue is a JSON string: a userName with %s is found by its JSON-escaped filter",
    async (_case, userName) => {
      const created = await create({ userName });
      expect(created.userName).toBe(userName);
      const res = await t.scim.get(filterUrl(`userName eq ${JSON.stringify(userName)}`));
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
      expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    },
  );

  it("RFC 7644 §3.4.3: POST /Users/.search and POST /.search answer a ListResponse with filter, sort, paging and attributes applied", async () => {
    const prefix = `search${randomUUID().slice(0, 8)}`;
    for (const n of ["c", "a", "b"]) await create({ userName: `${prefix}.${n}@example.test`, title: "Searcher" });
    const body = {
      schemas: [SEARCH_URN],
      filter: `userName sw "${prefix}" and title eq "Searcher"`,
      sortBy: "userName",
      sortOrder: "descending",
      startIndex: 2,
      count: 1,
      attributes: ["userName"],
    };
    for (const path of ["/Users/.search", "/.search"]) {
      const res = await t.scim.post(path, body);
      expect(res.status).toBe(200);
      expectScimJson(res);
      expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 3, startIndex: 2, itemsPerPage: 1 });
      expect(res.body.Resources).toHaveLength(1);
      expect(res.body.Resources[0].userName).toBe(`${prefix}.b@example.test`);
      expect(res.body.Resources[0].title).toBeUndefined();
      expect(res.body.Resources[0].id).toBeTruthy();
    }
  });
});

describe("RFC 7644 §3.5 modify", () => {
  it("RFC 7644 §3.5.2.1 / §3.5.2.2: add appends to a multi-valued attribute; remove with a value filter removes only the matching element", async () => {
    const created = await create();
    const home = { value: `home.${created.userName}`, type: "home" };
    await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "add", path: "emails", value: [home] })).expect(200);
    expect((await t.scim.get(`/Users/${created.id}`).expect(200)).body.emails).toEqual([...created.emails, home]);
    await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "remove", path: 'emails[type eq "home"]' })).expect(200);
    expect((await t.scim.get(`/Users/${created.id}`).expect(200)).body.emails).toEqual(created.emails);
  });

  it("RFC 7644 §3.5.2 / §3.10: a PATCH path may carry the core schema URN prefix", async () => {
    const created = await create();
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp(
        { op: "replace", path: `${USER_SCHEMA}:name.givenName`, value: "Qualified" },
        { op: "add", path: `${USER_SCHEMA}:title`, value: "Countess" },
      ),
    );
    expect(res.body.detail ?? "").toBe("");
    expect(res.status).toBe(200);
    const read = (await t.scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(read).toMatchObject({ name: { givenName: "Qualified", familyName: "Lovelace" }, title: "Countess" });
  });

  it("RFC 7643 §4.3 / RFC 7644 §3.5.2: the enterprise manager is set with the RFC's complex form {value} and removed by path", async () => {
    const manager = await create();
    const report = await create();
    const res = await t.scim.patch(
      `/Users/${report.id}`,
      patchOp({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: manager.id } }),
    );
    expect(res.status).toBe(200);
    const read = (await t.scim.get(`/Users/${report.id}`).expect(200)).body;
    expect(read[ENTERPRISE].manager.value).toBe(manager.id);
    expect(read[ENTERPRISE].manager.$ref).toMatch(new RegExp(`/Users/${manager.id}$`));
    expect(read.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    await t.scim
      .patch(`/Users/${report.id}`, patchOp({ op: "remove", path: `${ENTERPRISE}:manager.value` }))
      .expect(200);
    const after = (await t.scim.get(`/Users/${report.id}`).expect(200)).body;
    expect(after[ENTERPRISE]?.manager).toBeUndefined();
    expect(after.schemas).toEqual([USER_SCHEMA]);
  });

  it("RFC 7644 §3.5.2: a PATCH is atomic: when one operation fails, none is applied", async () => {
    const created = await create({ title: "Same" });
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "replace", path: "title", value: "New" },
        { op: "replace", path: "nosuchattribute", value: "x" },
      ],
    });
    expectScimError(res, 400);
    const read = (await t.scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(read.title).toBe("Same");
    expect(read.meta.version).toBe(created.meta.version);
  });

  it("RFC 7644 §3.5.2.2: remove without a path is 400 noTarget; RFC 7644 §3.5.2: replacing the readOnly id is 400 mutability", async () => {
    const created = await create();
    const noPath = await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "remove" }));
    expectScimError(noPath, 400);
    expect(noPath.body.scimType).toBe("noTarget");
    const readOnly = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "replace", path: "id", value: randomUUID() }),
    );
    expectScimError(readOnly, 400);
    expect(readOnly.body.scimType).toBe("mutability");
    const read = (await t.scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(read.id).toBe(created.id);
    expect(read.meta.version).toBe(created.meta.version);
  });

  it("RFC 7643 §4.1 uniqueness server: PUT or PATCH to another user's userName (in any case) is 409 uniqueness", async () => {
    const a = await create({ userName: uniqueName("Taken.Name") });
    const b = await create();
    const put = await t.scim.put(`/Users/${b.id}`, buildScimUser({ userName: a.userName.toLowerCase() }));
    expectScimError(put, 409);
    expect(put.body.scimType).toBe("uniqueness");
    const patch = await t.scim.patch(
      `/Users/${b.id}`,
      patchOp({ op: "replace", path: "userName", value: a.userName.toUpperCase() }),
    );
    expectScimError(patch, 409);
    expect(patch.body.scimType).toBe("uniqueness");
    expect((await t.scim.get(`/Users/${b.id}`).expect(200)).body.userName).toBe(b.userName);
  });

  it("RFC 7644 §3.5.1 / §3.5.2 / §3.6: PUT, PATCH and DELETE of an unknown id are 404 with the SCIM Error schema", async () => {
    const id = randomUUID();
    expectScimError(await t.scim.put(`/Users/${id}`, buildScimUser()), 404);
    expectScimError(await t.scim.patch(`/Users/${id}`, patchOp({ op: "replace", path: "title", value: "x" })), 404);
    expectScimError(await t.scim.delete(`/Users/${id}`), 404);
  });
});

describe("RFC 7644 §3.6 delete", () => {
  it("RFC 7644 §3.6: DELETE is 204, then GET, PATCH, PUT and DELETE are 404; a new POST of the same userName returns the same account (Roster: soft delete)", async () => {
    const created = await create({ userName: uniqueName("Keeper"), title: "Keeper" });
    const del = await t.scim.delete(`/Users/${created.id}`);
    expect(del.status).toBe(204);
    expect(del.text ?? "").toBe("");
    expectScimError(await t.scim.get(`/Users/${created.id}`), 404);
    expectScimError(await t.scim.delete(`/Users/${created.id}`), 404);
    expect((await t.scim.get(filterUrl(`userName eq "${created.userName}"`)).expect(200)).body).toMatchObject({
      totalResults: 0,
      Resources: [],
    });
    expectScimError(
      await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Ghost" })),
      404,
    );
    expectScimError(await t.scim.put(`/Users/${created.id}`, buildScimUser({ userName: created.userName })), 404);

    const back = await t.scim.post(
      "/Users",
      buildScimUser({ userName: created.userName.toLowerCase(), displayName: "Back" }),
    );
    expect(back.status).toBe(201);
    expect(back.body.id).toBe(created.id);
    expect(back.body).toMatchObject({ active: true, displayName: "Back" });
    // The re-created resource is what the POST described (RFC 7644 §3.3), not the data from before the delete.
    expect(back.body.title).toBeUndefined();
    const read = (await t.scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(read).toMatchObject({ id: created.id, active: true, displayName: "Back" });
    expect(read.title).toBeUndefined();
    expect((await t.scim.get(filterUrl(`userName eq "${created.userName}"`)).expect(200)).body.totalResults).toBe(1);
  });
});

describe("RFC 7644 §2 / §3.12 authentication and errors", () => {
  it("RFC 7644 §2 / RFC 6750 §3: a request without a token is 401 with a SCIM Error body and a WWW-Authenticate: Bearer challenge", async () => {
    const res = await request(t.app).get("/scim/v2/Users");
    expectScimError(res, 401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/i);
    const wrong = await request(t.app).get("/scim/v2/Users").set("Authorization", "Bearer not-a-real-token");
    expectScimError(wrong, 401);
    expect(wrong.headers["www-authenticate"]).toMatch(/^Bearer/i);
  });

  it("RFC 7644 §3.12: an unknown endpoint is 404 with a SCIM Error body", async () => {
    expectScimError(await t.scim.get(`/NoSuchResource/${randomUUID()}`), 404);
  });
});

describe("RFC 7644 §4 discovery", () => {
  it("RFC 7644 §4 / RFC 7643 §5: /ServiceProviderConfig says patch, filter, sort, etag and bulk are supported", async () => {
    const res = await t.scim.get("/ServiceProviderConfig");
    expect(res.status).toBe(200);
    expectScimJson(res);
    const spc = res.body;
    expect(spc.schemas).toEqual([SPC_URN]);
    expect(spc.Resources).toBeUndefined();
    expect(spc.patch).toEqual({ supported: true });
    expect(spc.filter.supported).toBe(true);
    expect(typeof spc.filter.maxResults).toBe("number");
    expect(spc.filter.maxResults).toBeGreaterThan(0);
    expect(spc.sort).toEqual({ supported: true });
    expect(spc.etag).toEqual({ supported: true });
    expect(spc.bulk).toMatchObject({
      supported: true,
      maxOperations: expect.any(Number),
      maxPayloadSize: expect.any(Number),
    });
    expect(typeof spc.changePassword.supported).toBe("boolean");
    expect(spc.authenticationSchemes.map((s: Json) => s.type)).toContain("oauthbearertoken");
    expect(nullPaths(spc)).toEqual([]);
  });

  it("RFC 7644 §4 / RFC 7643 §6: /ResourceTypes is a ListResponse listing User at /Users with the optional enterprise extension", async () => {
    const res = await t.scim.get("/ResourceTypes");
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body.schemas).toEqual([LIST_URN]);
    expect(typeof res.body.totalResults).toBe("number");
    expect(res.body.totalResults).toBe(res.body.Resources.length);
    const user = res.body.Resources.find((r: Json) => r.id === "User");
    expect(user).toMatchObject({
      schemas: [RESOURCE_TYPE_URN],
      id: "User",
      name: "User",
      endpoint: "/Users",
      schema: USER_SCHEMA,
    });
    expect(user.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect(nullPaths(res.body)).toEqual([]);
    const one = await t.scim.get("/ResourceTypes/User");
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: "User", endpoint: "/Users", schema: USER_SCHEMA });
  });

  it("E21 / RFC 7643 §7: /Schemas is a ListResponse with the User and enterprise schemas, camelCase values and no null values", async () => {
    const res = await t.scim.get("/Schemas");
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body.schemas).toEqual([LIST_URN]);
    expect(res.body.totalResults).toBe(res.body.Resources.length);
    expect(nullPaths(res.body)).toEqual([]);
    const ids = res.body.Resources.map((s: Json) => s.id);
    expect(ids).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE]));

    const attrs: Json[] = [];
    const walk = (list: Json[] | undefined) =>
      (list ?? []).forEach((a) => {
        attrs.push(a);
        walk(a.subAttributes);
      });
    for (const s of res.body.Resources) {
      expect(s.schemas).toEqual([SCHEMA_URN]);
      expect(Array.isArray(s.attributes)).toBe(true);
      walk(s.attributes);
    }
    for (const a of attrs) {
      expect(["string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary"]).toContain(
        a.type,
      );
      expect(["readOnly", "readWrite", "immutable", "writeOnly"]).toContain(a.mutability);
      expect(["always", "never", "default", "request"]).toContain(a.returned);
      if (a.uniqueness !== undefined) expect(["none", "server", "global"]).toContain(a.uniqueness);
    }
    const user = res.body.Resources.find((s: Json) => s.id === USER_SCHEMA);
    const userName = user.attributes.find((a: Json) => a.name === "userName");
    expect(userName).toMatchObject({ type: "string", required: true, caseExact: false, uniqueness: "server" });
    expect(user.attributes.find((a: Json) => a.name === "password")).toMatchObject({
      mutability: "writeOnly",
      returned: "never",
    });

    const one = await t.scim.get(`/Schemas/${USER_SCHEMA}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(USER_SCHEMA);
    expect(nullPaths(one.body)).toEqual([]);
  });
});
