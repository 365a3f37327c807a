/**
 * Replays what Okta sends to /Users, over HTTP only, with the bodies copied from Okta's SCIM 2.0 reference (O20),
 * the Okta SCIM 2.0 SPEC test file (R1-R12, as replayed step for step by better-auth) and the CRUD test suite (OTEST).
 * Statement ids (O1-O17) refer to /work/shared/idp-behaviours.md.
 */
import request from "supertest";
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { PATCH_OP, USER_SCHEMA, uniqueName } from "../support/factories";
import {
  expectPatchOk,
  expectScimError,
  expectScimJson,
  filterUrl,
  type Json,
  LIST_URN,
  oktaActive,
} from "../support/scim-assertions";

const OKTA_UA = "Okta SCIM Client 1.0.0";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** Okta's lookup: `GET /Users?filter=userName%20eq%20%22...%22&startIndex=1&count=100`. */
const oktaLookup = (userName: string) =>
  t.scim.get(filterUrl(`userName eq "${userName}"`, "&startIndex=1&count=100")).set("User-Agent", OKTA_UA);

/**
 * The O20 "Create the User" request body. Okta also sends `password` when password sync is on; it is left out by
 * default only to keep the suite fast (hashing), and sent by the tests about create (O2, O3, O16).
 */
function oktaCreateBody(userName = uniqueName("test.user"), opts: { password?: boolean } = {}): Json {
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: "Test", familyName: "User" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: "Test User",
    locale: "en-US",
    externalId: `00u${randomUUID().replace(/-/g, "").slice(0, 17)}`,
    groups: [],
    ...(opts.password ? { password: "1mz050nq" } : {}),
    active: true,
  };
}

async function oktaCreate(body: Json = oktaCreateBody()): Promise<Json> {
  const res = await t.scim.post("/Users", body).set("User-Agent", OKTA_UA);
  expect(res.status).toBe(201);
  return res.body;
}

const getUser = async (id: string) => {
  const res = await t.scim.get(`/Users/${id}`).set("User-Agent", OKTA_UA);
  expect(res.status).toBe(200);
  expectScimJson(res);
  return res.body as Json;
};

describe("Okta: assignment (lookup, then create)", () => {
  it('O1: GET /Users?filter=userName eq "x"&startIndex=1&count=100 with no match is 200 with an empty ListResponse', async () => {
    const res = await oktaLookup(uniqueName("nobody"));
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it("O2: POST /Users with password, groups: [], locale and externalId is 201 with the full created user and never echoes the password", async () => {
    const body = oktaCreateBody(undefined, { password: true });
    expect(body.password).toBe("1mz050nq");
    const res = await t.scim.post("/Users", body).set("User-Agent", OKTA_UA);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.text.length).toBeGreaterThan(0);
    expect(typeof res.body.id).toBe("string");
    expect(res.body).toMatchObject({
      schemas: [USER_SCHEMA],
      userName: body.userName,
      name: body.name,
      emails: body.emails,
      displayName: "Test User",
      locale: "en-US",
      externalId: body.externalId,
      active: true,
      meta: { resourceType: "User" },
    });
    expect(res.body.password).toBeUndefined();
    expect(res.body.groups ?? []).toEqual([]);
    const read = await getUser(res.body.id);
    expect(read).toMatchObject({ userName: body.userName, locale: "en-US", externalId: body.externalId, active: true });
    expect(read.password).toBeUndefined();
  });

  it("O2: after the lookup misses, the created user is what the same lookup finds next time", async () => {
    const body = oktaCreateBody();
    expect((await oktaLookup(body.userName)).body.totalResults).toBe(0);
    const created = await oktaCreate(body);
    const again = await oktaLookup(body.userName);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(again.body.Resources[0]).toMatchObject({ id: created.id, userName: body.userName, active: true });
  });

  it("O1 / O2: a userName with a plus sign is created and then found by Okta's percent-encoded lookup", async () => {
    const userName = uniqueName("test.user+okta");
    expect((await oktaLookup(userName)).body.totalResults).toBe(0);
    const created = await oktaCreate(oktaCreateBody(userName));
    expect(created.userName).toBe(userName);
    const found = await oktaLookup(userName);
    expect(found.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
  });

  it("O3 / SPEC R8: creating an existing user again is 409 with the SCIM Error schema and scimType uniqueness", async () => {
    const body = oktaCreateBody(undefined, { password: true });
    await oktaCreate(body);
    const res = await t.scim.post("/Users", {
      ...body,
      emails: [{ primary: true, value: body.userName, type: "work" }],
    });
    expectScimError(res, 409);
    expect(res.body.scimType).toBe("uniqueness");
    expect(res.body.detail).toBeTruthy();
    expect((await oktaLookup(body.userName)).body.totalResults).toBe(1);
  });
});

describe("Okta: import (paging)", () => {
  it("O4: GET /Users?startIndex=1&count=100 pages by startIndex += count with numeric fields and one stable order for any count", async () => {
    for (let i = 0; i < 5; i++) await oktaCreate();
    const full = await t.scim.get("/Users?startIndex=1&count=100").expect(200);
    expectScimJson(full);
    const total = full.body.totalResults;
    expect(typeof total).toBe("number");
    expect(typeof full.body.startIndex).toBe("number");
    expect(typeof full.body.itemsPerPage).toBe("number");
    expect(total).toBeGreaterThanOrEqual(5);

    const walk = async (count: number) => {
      const ids: string[] = [];
      for (let start = 1; start <= total; start += count) {
        const page = await t.scim.get(`/Users?startIndex=${start}&count=${count}`).expect(200);
        expect(page.body).toMatchObject({ schemas: [LIST_URN], totalResults: total, startIndex: start });
        expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
        expect(page.body.Resources.length).toBe(Math.min(count, total - start + 1));
        ids.push(...page.body.Resources.map((r: Json) => r.id));
      }
      return ids;
    };
    const byHundred = await walk(100);
    expect(new Set(byHundred).size).toBe(total);
    expect(await walk(2)).toEqual(byHundred);
    expect(await walk(3)).toEqual(byHundred);
  });

  it("O12 / SPEC R1: GET /Users?count=1&startIndex=1 is 200 with one resource and numeric paging fields; users carry id, userName, names, emails and active", async () => {
    const seed = await oktaCreate({ ...oktaCreateBody(), name: { givenName: "Morgan", familyName: "Chen" } });
    const res = await t.scim.get("/Users?count=1&startIndex=1");
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body.schemas).toContain(LIST_URN);
    expect(typeof res.body.itemsPerPage).toBe("number");
    expect(typeof res.body.startIndex).toBe("number");
    expect(typeof res.body.totalResults).toBe("number");
    expect(res.body.Resources).toHaveLength(1);
    expect(res.body.Resources[0].id).toBeTruthy();
    expect(res.body.Resources[0].userName).toBeTruthy();

    // Find the seeded user through the same count=1 paging, without assuming where it sits.
    let found: Json | undefined;
    for (let start = 1; start <= res.body.totalResults && !found; start++) {
      const page = await t.scim.get(`/Users?count=1&startIndex=${start}`).expect(200);
      found = page.body.Resources.find((r: Json) => r.id === seed.id);
    }
    expect(found).toBeDefined();
    expect(found!.name).toMatchObject({ givenName: "Morgan", familyName: "Chen" });
    expect(found!.emails[0].value).toBe(seed.userName);
    expect(found!.active).toBe(true);
  });

  it("O17: GET /Users?count=2&startIndex=1 answers in under 600 ms", async () => {
    await oktaCreate();
    await t.scim.get("/Users?count=2&startIndex=1").expect(200); // warm-up
    const started = process.hrtime.bigint();
    const res = await t.scim.get("/Users?count=2&startIndex=1");
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(600);
  });
});

describe("Okta: profile updates (GET then PUT)", () => {
  it("O5: GET /Users/{id} then PUT of the whole object with a changed name is 200 with the updated user", async () => {
    const created = await oktaCreate();
    const current = await getUser(created.id);
    // O20's PUT body: the object as read, with groups: [], an email display and a changed name.
    const put = {
      ...current,
      name: { givenName: "Another", middleName: "Excited", familyName: "User" },
      emails: [{ primary: true, value: created.userName, type: "work", display: created.userName }],
      groups: [],
      meta: { resourceType: "User" },
    };
    const res = await t.scim.put(`/Users/${created.id}`, put).set("User-Agent", OKTA_UA);
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body).toMatchObject({
      id: created.id,
      userName: created.userName,
      name: put.name,
      emails: put.emails,
      active: true,
      locale: "en-US",
      externalId: created.externalId,
    });
    const read = await getUser(created.id);
    expect(read).toMatchObject({ name: put.name, emails: put.emails, displayName: "Test User" });
    expect(read.meta.created).toBe(created.meta.created);
  });

  it("O5: PUT is a full replace: an attribute left out of the body is cleared", async () => {
    const created = await oktaCreate({ ...oktaCreateBody(), title: "Engineer" });
    const { title: _title, ...current } = await getUser(created.id);
    const res = await t.scim.put(`/Users/${created.id}`, { ...current, displayName: "Renamed" });
    expect(res.status).toBe(200);
    const read = await getUser(created.id);
    expect(read.title).toBeUndefined();
    expect(read.displayName).toBe("Renamed");
    expect(read.userName).toBe(created.userName);
  });

  it("O5 / O7: a custom (AIW) app deactivates with PUT active:false, and the user stays readable and filterable", async () => {
    const created = await oktaCreate();
    const current = await getUser(created.id);
    const res = await t.scim.put(`/Users/${created.id}`, { ...current, active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await getUser(created.id)).active).toBe(false);
    const found = await oktaLookup(created.userName);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toMatchObject({ id: created.id, active: false });
  });
});

describe("Okta: deactivate and reactivate (PATCH without path)", () => {
  it('O6: PATCH {"op":"replace","value":{"active":false}} deactivates the user (200 with the user or 204)', async () => {
    const created = await oktaCreate();
    const res = await t.scim.patch(`/Users/${created.id}`, oktaActive(false)).set("User-Agent", OKTA_UA);
    expectPatchOk(res);
    if (res.status === 200)
      expect(res.body).toMatchObject({ id: created.id, userName: created.userName, active: false });
    const read = await getUser(created.id);
    expect(read.active).toBe(false);
    expect(read.name).toEqual(created.name);
    expect(read.emails).toEqual(created.emails);
  });

  it('O6: PATCH {"op":"replace","value":{"active":true}} reactivates a deactivated user', async () => {
    const created = await oktaCreate();
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(false)));
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(true)));
    expect((await getUser(created.id)).active).toBe(true);
  });

  it('O6 (O20 password sync): PATCH {"op":"replace","value":{"password":...}} is accepted, changes nothing visible and never echoes the password', async () => {
    const created = await oktaCreate(oktaCreateBody(undefined, { password: true }));
    const res = await t.scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { password: "n3w-Passw0rd" } }],
    });
    expectPatchOk(res);
    if (res.status === 200) expect(res.body.password).toBeUndefined();
    const read = await getUser(created.id);
    expect(read.password).toBeUndefined();
    expect(read).toMatchObject({
      active: true,
      userName: created.userName,
      name: created.name,
      emails: created.emails,
    });
  });

  it("O7: a deactivated user is still returned by the Okta lookup with active:false, so re-assignment finds it instead of creating a duplicate", async () => {
    const created = await oktaCreate();
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(false)));
    const found = await oktaLookup(created.userName);
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toMatchObject({ id: created.id, active: false });
  });
});

describe("Okta SCIM 2.0 SPEC test (R1-R12)", () => {
  it("SPEC R2: GET /Users/{id} of an existing user returns it with id, userName, names, emails and active", async () => {
    const created = await oktaCreate();
    const read = await getUser(created.id);
    expect(read.id).toBe(created.id);
    expect(read.name.familyName).toBeTruthy();
    expect(read.name.givenName).toBeTruthy();
    expect(read.userName).toBeTruthy();
    expect(read.active).toBe(true);
    expect(read.emails[0].value).toBeTruthy();
  });

  it("SPEC R3 / R5: filter on an unknown userName is 200 with a ListResponse and totalResults 0", async () => {
    const res = await t.scim.get(
      `/Users?${new URLSearchParams({ filter: 'userName eq "nonexistent-user@example.invalid"' })}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.schemas).toContain(LIST_URN);
    expect(res.body.totalResults).toBe(0);
  });

  it('O13 / SPEC R4: GET of a random id is 404 with status "404", a detail and the Error schema', async () => {
    const res = await t.scim.get("/Users/00000000000000000000");
    expectScimError(res, 404);
    expect(res.body.detail).toBeTruthy();
  });

  it("SPEC R6 / R7: create with Content-Type application/json and Accept application/scim+json; charset=utf-8, then read it back", async () => {
    const userName = uniqueName("jordan.rivera");
    const res = await request(t.app)
      .post("/scim/v2/Users")
      .set("Authorization", `Bearer ${t.scimToken}`)
      .set("Content-Type", "application/json")
      .set("Accept", "application/scim+json; charset=utf-8")
      .send(
        JSON.stringify({
          schemas: [USER_SCHEMA],
          userName,
          name: { givenName: "Jordan", familyName: "Rivera" },
          emails: [{ primary: true, value: `primary.${userName}`, type: "work" }],
          displayName: "Jordan Rivera",
          active: true,
        }),
      );
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.body.active).toBe(true);
    expect(res.body.id).toBeTruthy();
    expect(res.body.schemas).toContain(USER_SCHEMA);
    expect(res.body).toMatchObject({ userName, name: { givenName: "Jordan", familyName: "Rivera" } });
    const read = await getUser(res.body.id);
    expect(read).toMatchObject({ userName, name: { givenName: "Jordan", familyName: "Rivera" } });
  });

  it("O14 / SPEC R9: filter with the upper-cased userName is 200 and returns the same user with its stored casing", async () => {
    const userName = uniqueName("Jordan.Rivera");
    const created = await oktaCreate(oktaCreateBody(userName));
    const res = await t.scim.get(
      `/Users?${new URLSearchParams({ filter: `userName eq "${userName.toUpperCase()}"` })}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0]).toMatchObject({ id: created.id, userName });
  });

  it('O15 / SPEC R11: a request with an invalid Authorization header is 401 with status "401", a detail and the Error schema', async () => {
    const filter = new URLSearchParams({ filter: 'userName eq "JORDAN.RIVERA@EXAMPLE.COM"' });
    for (const authorization of [
      "non-token",
      "Bearer non-token",
      `Basic ${Buffer.from(`okta:${t.scimToken}`).toString("base64")}`,
    ]) {
      const res = await request(t.app)
        .get(`/scim/v2/Users?${filter}`)
        .set("Authorization", authorization)
        .set("Accept", "application/scim+json");
      expectScimError(res, 401);
      expect(res.body.detail).toBeTruthy();
    }
    const none = await request(t.app).get(`/scim/v2/Users?${filter}`);
    expectScimError(none, 401);
  });

  it('O13 / SPEC R12: GET /Users/00919288221112222 is 404 with status "404", a detail and the Error schema', async () => {
    const res = await t.scim.get("/Users/00919288221112222");
    expectScimError(res, 404);
    expect(res.body.detail).toBeTruthy();
  });
});

describe("Okta CRUD test suite (OTEST)", () => {
  it("O16: create, verify, update firstName, verify, deactivate, verify, reactivate, reassign, verify, unassign, verify deactivated", async () => {
    const body: Json = {
      ...oktaCreateBody(uniqueName("riley.okta"), { password: true }),
      name: { givenName: "Riley", familyName: "Okta" },
      title: "Engineer",
      phoneNumbers: [{ value: "415.123.4567" }],
    };

    // Assign: lookup misses, then create.
    expect((await oktaLookup(body.userName)).body.totalResults).toBe(0);
    const created = await oktaCreate(body);
    expect(created.password).toBeUndefined();

    // Verify created.
    const lookup = await oktaLookup(body.userName);
    expect(lookup.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
    expect(await getUser(created.id)).toMatchObject({
      userName: body.userName,
      active: true,
      name: { givenName: "Riley" },
      phoneNumbers: [{ value: "415.123.4567" }],
    });

    // Update firstName: GET then PUT.
    const beforePut = await getUser(created.id);
    const put = await t.scim.put(`/Users/${created.id}`, {
      ...beforePut,
      name: { ...beforePut.name, givenName: "Rileyupdate" },
    });
    expect(put.status).toBe(200);
    expect(put.body.name.givenName).toBe("Rileyupdate");
    expect(await getUser(created.id)).toMatchObject({
      name: { givenName: "Rileyupdate", familyName: "Okta" },
      title: "Engineer",
      phoneNumbers: [{ value: "415.123.4567" }],
    });

    // Deactivate, verify.
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(false)));
    expect((await getUser(created.id)).active).toBe(false);

    // Reactivate and reassign: Okta looks the user up again, finds it, and activates it (no second POST).
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(true)));
    const reassign = await oktaLookup(body.userName);
    expect(reassign.body.Resources).toHaveLength(1);
    expect(reassign.body.Resources[0]).toMatchObject({ id: created.id, active: true });
    expect(await getUser(created.id)).toMatchObject({ active: true, name: { givenName: "Rileyupdate" } });

    // Unassign: deactivate again, verify deactivated (never deleted).
    expectPatchOk(await t.scim.patch(`/Users/${created.id}`, oktaActive(false)));
    const final = await getUser(created.id);
    expect(final).toMatchObject({
      id: created.id,
      userName: body.userName,
      active: false,
      name: { givenName: "Rileyupdate", familyName: "Okta" },
      title: "Engineer",
    });
    const stillThere = await oktaLookup(body.userName);
    expect(stillThere.body.Resources[0]).toMatchObject({ id: created.id, active: false });
  });
});
