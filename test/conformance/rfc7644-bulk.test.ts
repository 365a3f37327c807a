/**
 * RFC 7644 §3.7 Bulk over HTTP only: the RFC's examples replayed against /Users, with the ids and versions the RFC
 * shows replaced by real ones. The RFC's cross-reference examples use Groups; each is replayed as written, and in a
 * Users form too (a manager reference instead of a group member).
 */
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, ENTERPRISE, USER_SCHEMA, uniqueName } from "../support/factories";
import { ERROR_URN, expectScimError, expectScimJson, filterUrl, type Json } from "../support/scim-assertions";

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const bulk = (Operations: unknown[], extra: Json = {}) => ({ schemas: [BULK_REQUEST], ...extra, Operations });

async function postBulk(body: unknown): Promise<Json[]> {
  const res = await t.scim.post("/Bulk", body);
  expect(res.status).toBe(200);
  expectScimJson(res);
  expect(res.body.schemas).toEqual([BULK_RESPONSE]);
  return res.body.Operations;
}

async function createUser(overrides: Json = {}): Promise<Json> {
  const res = await t.scim.post("/Users", buildScimUser(overrides));
  expect(res.status).toBe(201);
  return res.body;
}

const path = (location: string) => new URL(location).pathname.replace(/^\/scim\/v2/, "");
const exists = async (userName: string) =>
  (await t.scim.get(filterUrl(`userName eq "${userName}"`)).expect(200)).body.totalResults === 1;

/** The four operations of the RFC's §3.7.3 example, on real users: create Alice, replace Bob, patch Dave, delete the last. */
async function rfcExample(alice: Json) {
  const [bob, dave, gone] = [await createUser(), await createUser({ nickName: "Davey" }), await createUser()];
  const bobName = uniqueName("bob");
  const daveName = uniqueName("dave");
  const operations = [
    { method: "POST", path: "/Users", bulkId: "qwerty", data: alice },
    {
      method: "PUT",
      path: `/Users/${bob.id}`,
      version: bob.meta.version,
      data: { schemas: [USER_SCHEMA], id: bob.id, userName: bobName },
    },
    {
      method: "PATCH",
      path: `/Users/${dave.id}`,
      version: dave.meta.version,
      // As the RFC's example sends it: an Operations list without `schemas`.
      data: {
        Operations: [
          { op: "remove", path: "nickName" },
          { op: "replace", path: "userName", value: daveName },
        ],
      },
    },
    { method: "DELETE", path: `/Users/${gone.id}`, version: gone.meta.version },
  ];
  return { bob, dave, gone, bobName, daveName, operations };
}

describe("RFC 7644 §3.7 bulk operations", () => {
  it("RFC 7644 §3.7.3: the example request (POST, PUT, PATCH, DELETE with versions) gets the example response", async () => {
    const aliceName = uniqueName("alice");
    const ex = await rfcExample({ schemas: [USER_SCHEMA], userName: aliceName });
    const ops = await postBulk(bulk(ex.operations, { failOnErrors: 1 }));
    expect(ops).toEqual([
      { location: expect.any(String), method: "POST", bulkId: "qwerty", version: 'W/"1"', status: "201" },
      {
        location: expect.stringMatching(new RegExp(`/Users/${ex.bob.id}$`)),
        method: "PUT",
        version: 'W/"2"',
        status: "200",
      },
      {
        location: expect.stringMatching(new RegExp(`/Users/${ex.dave.id}$`)),
        method: "PATCH",
        version: 'W/"2"',
        status: "200",
      },
      { location: expect.stringMatching(new RegExp(`/Users/${ex.gone.id}$`)), method: "DELETE", status: "204" },
    ]);
    const alice = (await t.scim.get(path(ops[0].location)).expect(200)).body;
    // supertest listens on a new port per request: compare the paths.
    expect(alice).toMatchObject({ userName: aliceName, meta: { version: ops[0].version } });
    expect(path(alice.meta.location)).toBe(path(ops[0].location));
    expect((await t.scim.get(`/Users/${ex.bob.id}`).expect(200)).body.userName).toBe(ex.bobName);
    const dave = (await t.scim.get(`/Users/${ex.dave.id}`).expect(200)).body;
    expect(dave.userName).toBe(ex.daveName);
    expect(dave.nickName).toBeUndefined();
    expectScimError(await t.scim.get(`/Users/${ex.gone.id}`), 404);
  });

  it("RFC 7644 §3.7.3: with failOnErrors 1 the service stops at the first error and reports only what it ran", async () => {
    const ex = await rfcExample({ schemas: [USER_SCHEMA], nickName: "no userName" });
    const ops = await postBulk(bulk(ex.operations, { failOnErrors: 1 }));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ method: "POST", bulkId: "qwerty", status: "400" });
    expect(ops[0].response).toMatchObject({ schemas: [ERROR_URN], status: "400" });
    expect(ops[0].response.scimType).toEqual(expect.any(String));
    expect(ops[0].location).toBeUndefined();
    // Nothing after the error ran.
    expect((await t.scim.get(`/Users/${ex.bob.id}`).expect(200)).body.meta.version).toBe('W/"1"');
    expect((await t.scim.get(`/Users/${ex.dave.id}`).expect(200)).body.nickName).toBe("Davey");
    await t.scim.get(`/Users/${ex.gone.id}`).expect(200);
  });

  it("RFC 7644 §3.7.3: without failOnErrors every operation runs, and each failure carries its SCIM error and location", async () => {
    const ex = await rfcExample({ schemas: [USER_SCHEMA], userName: "" });
    await t.scim
      .patch(`/Users/${ex.bob.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "add", path: "title", value: "moved on" }],
      })
      .expect(200);
    await t.scim.delete(`/Users/${ex.dave.id}`).expect(204);
    await t.scim.delete(`/Users/${ex.gone.id}`).expect(204);
    const ops = await postBulk(bulk(ex.operations));
    expect(ops.map((o) => [o.method, o.status])).toEqual([
      ["POST", "400"],
      ["PUT", "412"],
      ["PATCH", "404"],
      ["DELETE", "404"],
    ]);
    for (const o of ops)
      expect(o.response).toMatchObject({ schemas: [ERROR_URN], status: o.status, detail: expect.any(String) });
    expect(ops[1].location).toMatch(new RegExp(`/Users/${ex.bob.id}$`));
    expect((await t.scim.get(`/Users/${ex.bob.id}`).expect(200)).body.title).toBe("moved on");
  });

  it("RFC 7644 §3.7: PATCH data as the RFC describes it, a bare list of operations, is a PatchOp", async () => {
    const u = await createUser({ nickName: "Nick" });
    const ops = await postBulk(
      bulk([
        {
          method: "PATCH",
          path: `/Users/${u.id}`,
          data: [
            { op: "remove", path: "nickName" },
            { op: "add", path: "title", value: "T" },
          ],
        },
      ]),
    );
    expect(ops[0].status).toBe("200");
    expect((await t.scim.get(`/Users/${u.id}`).expect(200)).body).toMatchObject({ title: "T" });
  });
});

describe("RFC 7644 §3.7.2 bulkId references and §3.7.1 circular references", () => {
  it('RFC 7644 §3.7.2: "bulkId:qwerty" in data is replaced by the id created for qwerty, in whatever order the operations come', async () => {
    const [aliceName, bobName] = [uniqueName("alice"), uniqueName("bob")];
    // The RFC's example makes Alice a member of a new group; here she is the manager of a new user, referenced before she exists.
    const ops = await postBulk(
      bulk([
        {
          method: "POST",
          path: "/Users",
          bulkId: "ytrewq",
          data: {
            schemas: [USER_SCHEMA, ENTERPRISE],
            userName: bobName,
            [ENTERPRISE]: { manager: { value: "bulkId:qwerty" } },
          },
        },
        { method: "POST", path: "/Users", bulkId: "qwerty", data: { schemas: [USER_SCHEMA], userName: aliceName } },
      ]),
    );
    expect(ops.map((o) => [o.bulkId, o.status])).toEqual([
      ["ytrewq", "201"],
      ["qwerty", "201"],
    ]);
    const alice = (await t.scim.get(path(ops[1].location)).expect(200)).body;
    const bob = (await t.scim.get(path(ops[0].location)).expect(200)).body;
    expect(bob[ENTERPRISE].manager.value).toBe(alice.id);
  });

  it("RFC 7644 §3.7.2: a bulkId also names the created resource in another operation's path", async () => {
    const name = uniqueName("pathref");
    const ops = await postBulk(
      bulk([
        {
          method: "PATCH",
          path: "/Users/bulkId:qwerty",
          data: { Operations: [{ op: "replace", path: "displayName", value: "Named Later" }] },
        },
        { method: "POST", path: "/Users", bulkId: "qwerty", data: { schemas: [USER_SCHEMA], userName: name } },
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["200", "201"]);
    expect(ops[0].location).toBe(ops[1].location);
    expect((await t.scim.get(path(ops[1].location)).expect(200)).body.displayName).toBe("Named Later");
  });

  it('RFC 7644 §3.7.2, as written: the group "Tour Guides" gets Alice as member through bulkId:qwerty', async () => {
    const aliceName = uniqueName("alice");
    const ops = await postBulk(
      bulk([
        {
          method: "POST",
          path: "/Groups",
          bulkId: "ytrewq",
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: `Tour Guides ${aliceName}`,
            members: [{ type: "User", value: "bulkId:qwerty" }],
          },
        },
        { method: "POST", path: "/Users", bulkId: "qwerty", data: { schemas: [USER_SCHEMA], userName: aliceName } },
      ]),
    );
    expect(ops.map((o) => [o.bulkId, o.status])).toEqual([
      ["ytrewq", "201"],
      ["qwerty", "201"],
    ]);
    expect(ops[0].location).toMatch(/\/Groups\/[0-9a-f-]{36}$/);
    const alice = (await t.scim.get(path(ops[1].location)).expect(200)).body;
    const group = (await t.scim.get(path(ops[0].location)).expect(200)).body;
    expect(group.members).toEqual([expect.objectContaining({ value: alice.id })]);
    expect(alice.groups).toEqual([expect.objectContaining({ value: group.id })]);
  });

  it("RFC 7644 §3.7.1, as written: two groups each a member of the other are refused (409) and neither is created", async () => {
    const [a, b] = [uniqueName("grpa"), uniqueName("grpb")];
    const ops = await postBulk(
      bulk([
        {
          method: "POST",
          path: "/Groups",
          bulkId: "qwerty",
          data: { schemas: [GROUP_SCHEMA], displayName: a, members: [{ type: "Group", value: "bulkId:ytrewq" }] },
        },
        {
          method: "POST",
          path: "/Groups",
          bulkId: "ytrewq",
          data: { schemas: [GROUP_SCHEMA], displayName: b, members: [{ type: "Group", value: "bulkId:qwerty" }] },
        },
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["409", "409"]);
    for (const name of [a, b]) {
      const found = await t.scim.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`).expect(200);
      expect(found.body.totalResults).toBe(0);
    }
  });

  it("RFC 7644 §3.7.1: circular references are answered 409 and create nothing; the bulk request itself is 200", async () => {
    // The RFC's example is two groups, each a member of the other; here two users, each the other's manager.
    const [a, b] = [uniqueName("circa"), uniqueName("circb")];
    const managed = (userName: string, ref: string) => ({
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName,
      [ENTERPRISE]: { manager: { value: ref } },
    });
    const ops = await postBulk(
      bulk([
        { method: "POST", path: "/Users", bulkId: "qwerty", data: managed(a, "bulkId:ytrewq") },
        { method: "POST", path: "/Users", bulkId: "ytrewq", data: managed(b, "bulkId:qwerty") },
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["409", "409"]);
    for (const o of ops)
      expect(o.response).toMatchObject({ schemas: [ERROR_URN], status: "409", scimType: "invalidValue" });
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);
  });
});

describe("RFC 7644 §3.7.4 limits and §4 discovery", () => {
  it("RFC 7644 §4 / RFC 7643 §5: /ServiceProviderConfig says bulk is supported and gives maxOperations and maxPayloadSize", async () => {
    const spc = (await t.scim.get("/ServiceProviderConfig").expect(200)).body;
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });

  it("RFC 7644 §3.7.4: more operations than the advertised maxOperations is 413 with a detail, and nothing runs", async () => {
    const { maxOperations } = (await t.scim.get("/ServiceProviderConfig").expect(200)).body.bulk;
    const u = await createUser();
    const ops = Array.from({ length: maxOperations + 1 }, () => ({ method: "DELETE", path: `/Users/${u.id}` }));
    const res = await t.scim.post("/Bulk", bulk(ops));
    expectScimError(res, 413);
    expect(res.body.detail).toContain(`maxOperations (${maxOperations})`);
    await t.scim.get(`/Users/${u.id}`).expect(200);
  });

  it("RFC 7644 §3.7.4: a body larger than the advertised maxPayloadSize is 413 with a detail, and nothing runs", async () => {
    const { maxPayloadSize } = (await t.scim.get("/ServiceProviderConfig").expect(200)).body.bulk;
    const name = uniqueName("huge");
    const body = bulk([
      {
        method: "POST",
        path: "/Users",
        bulkId: "q",
        data: { schemas: [USER_SCHEMA], userName: name, title: "x".repeat(maxPayloadSize) },
      },
    ]);
    const res = await t.scim.post("/Bulk", body);
    expectScimError(res, 413);
    expect(res.body.detail).toContain(`maxPayloadSize (${maxPayloadSize} bytes)`);
    expect(await exists(name)).toBe(false);
  });

  it("RFC 7644 §3.12: a bulk request without credentials is 401 with a SCIM error", async () => {
    const res = await request(t.app)
      .post("/scim/v2/Bulk")
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(bulk([{ method: "POST", path: "/Users", bulkId: "q", data: buildScimUser() }])));
    expectScimError(res, 401);
  });
});
