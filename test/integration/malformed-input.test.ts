import request from "supertest";
import { entity, person } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";

// Issue 11: inputs that answered 500 (or were accepted without a limit) answer 400 in the door's error body.
let t: TestApp;
let userId: string;
let groupId: string;
let adminUserId: string;
let entityId: string;
beforeAll(async () => {
  t = await startTestApp({ JSON_MAX_DEPTH: "32", SCIM_PATCH_MAX_OPERATIONS: "50" });
  userId = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id;
  groupId = (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName() }).expect(201)).body
    .id;
  adminUserId = (await person(t)).id;
  entityId = await entity(t, `Malformed ${Date.now()}`);
});
afterAll(async () => t.close());

const LONE = "\ud800";
const SCIM_ERROR = ["urn:ietf:params:scim:api:messages:2.0:Error"];
const raw = (method: "post" | "put" | "patch", path: string, body: string, type = "application/json") =>
  request(t.app)[method](path).set("Content-Type", type).send(body);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const expectScim400 = (res: request.Response, scimType: string) => {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ schemas: SCIM_ERROR, status: "400", scimType });
};
const expectProblem400 = (res: request.Response, code: string, field?: string) => {
  expect(res.status).toBe(400);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, code, ...(field ? { field } : {}) });
};

describe("invalid Unicode and NUL in JSON strings", () => {
  it("SCIM users, PATCH values, groups, /.search and /Bulk answer 400 invalidValue naming where", async () => {
    const created = await t.scim.post("/Users", buildScimUser({ displayName: LONE }));
    expectScim400(created, "invalidValue");
    expect(created.body.detail).toMatch(/^displayName:/);
    expectScim400(await t.scim.post("/Users", buildScimUser({ name: { givenName: "a\u0000b" } })), "invalidValue");
    const patched = await t.scim.patch(
      `/Users/${userId}`,
      patchOp({ op: "replace", path: "displayName", value: LONE }),
    );
    expectScim400(patched, "invalidValue");
    expect(patched.body.detail).toMatch(/^Operations\[0\]\.value:/);
    expectScim400(await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: `x${LONE}` }), "invalidValue");
    expectScim400(
      await t.scim.patch(`/Groups/${groupId}`, patchOp({ op: "replace", path: "displayName", value: LONE })),
      "invalidValue",
    );
    expectScim400(
      await t.scim.post("/.search", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        filter: `userName eq "${LONE}"`,
      }),
      "invalidValue",
    );
    const bulk = await t.scim.post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: buildScimUser({ displayName: LONE }) }],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.Operations[0]).toMatchObject({
      status: "400",
      response: { scimType: "invalidValue", detail: expect.stringMatching(/^data\.displayName:/) },
    });
  });

  it("in keys too", async () => {
    expectScim400(await t.scim.post("/Users", { ...buildScimUser(), [`k${LONE}`]: 1 }), "invalidValue");
  });

  it("admin users and entities answer problem+json invalid_text naming the field", async () => {
    expectProblem400(
      await t.admin.post("/users", { email: "x@corp.test", givenName: `Ann${LONE}`, familyName: "Leeds" }),
      "invalid_text",
      "givenName",
    );
    expectProblem400(await t.admin.patch(`/users/${adminUserId}`, { familyName: LONE }), "invalid_text", "familyName");
    expectProblem400(await t.admin.post("/entities", { name: LONE }), "invalid_text", "name");
    expectProblem400(await t.admin.patch(`/entities/${entityId}`, { name: "a\u0000" }), "invalid_text", "name");
    expectProblem400(
      await t.admin.post("/users/actions", { action: "disable", ids: [LONE] }),
      "invalid_text",
      "ids[0]",
    );
  });

  it("auth JSON and form posts answer problem+json", async () => {
    expectProblem400(
      await raw("post", "/auth/login", JSON.stringify({ login: LONE, password: "x" })),
      "invalid_text",
      "login",
    );
    expectProblem400(
      await raw("post", "/auth/login", JSON.stringify({ login: "a\u0000", password: "x" })),
      "invalid_text",
      "login",
    );
    const form = await raw(
      "post",
      "/auth/invitations/abc",
      "password=a%00b&confirmation=a%00b",
      "application/x-www-form-urlencoded",
    );
    expectProblem400(form, "invalid_text", "password");
  });

  it("query strings: SCIM, admin and auth", async () => {
    expectScim400(await t.scim.get("/Users?filter=userName%20eq%20%22a%00%22"), "invalidValue");
    expectProblem400(await t.admin.get("/users?q=a%00b"), "invalid_text");
    expectProblem400(await request(t.app).get("/auth/invitations/abc?x=%00"), "invalid_text");
  });

  it("a filter nested as deep as its length allows answers, without overflowing anything", async () => {
    const res = await t.scim.get(
      `/Users?filter=${encodeURIComponent(`${"(".repeat(1000)}userName eq "a"${")".repeat(1000)}`)}`,
    );
    expect([200, 400]).toContain(res.status);
  });

  it("a lone surrogate written as an escape inside a SCIM filter is refused too", async () => {
    expectScim400(await t.scim.get(`/Users?filter=${encodeURIComponent('userName eq "\\ud800"')}`), "invalidValue");
  });
});

describe("nesting deeper than JSON_MAX_DEPTH is refused at parse time", () => {
  it("every door, /Bulk included; a body at the limit still parses", async () => {
    expectScim400(
      await raw("post", "/scim/v2/Users", nested(5000)).set("Authorization", `Bearer ${t.scimToken}`),
      "invalidSyntax",
    );
    expectScim400(
      await t.scim.patch(
        `/Users/${userId}`,
        patchOp({ op: "add", path: "displayName", value: JSON.parse(nested(40)) }),
      ),
      "invalidSyntax",
    );
    expectScim400(
      await raw("post", "/scim/v2/Bulk", nested(3000)).set("Authorization", `Bearer ${t.scimToken}`),
      "invalidSyntax",
    );
    expectProblem400(await t.admin.post("/entities", JSON.parse(nested(33))), "too_deep", "body");
    expectProblem400(await raw("post", "/auth/login", `[${nested(40)}]`), "too_deep");
    // Brackets inside strings are text, not nesting.
    expect(
      (await raw("post", "/auth/login", JSON.stringify({ login: "{[".repeat(100), password: "x" }))).body.code,
    ).toBe("invalid_credentials");
    // At the limit the body is parsed and judged on its content (an unknown field).
    expectProblem400(await t.admin.post("/entities", JSON.parse(nested(32))), "invalid_request");
  });
});

describe("paging numbers out of range", () => {
  it("SCIM /Users, /Groups and /.search answer 400 invalidValue", async () => {
    expectScim400(await t.scim.get("/Users?startIndex=99999999999999999999"), "invalidValue");
    expectScim400(await t.scim.get("/Groups?startIndex=99999999999999999999"), "invalidValue");
    expectScim400(await t.scim.get("/Users?count=1e30"), "invalidValue");
    expectScim400(
      await t.scim.post("/.search", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        startIndex: 1e20,
      }),
      "invalidValue",
    );
    expect((await t.scim.get("/Users?startIndex=9007199254740991").expect(200)).body.Resources).toEqual([]);
  });

  it("admin lists answer problem+json", async () => {
    for (const path of [
      "/users?limit=99999999999999999999",
      "/groups?limit=1e30",
      "/audit?limit=99999999999999999999",
      "/entities?limit=-1",
    ]) {
      const res = await t.admin.get(path);
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    expect((await t.admin.get("/users?limit=99999999999999999999")).status).toBe(400);
  });
});

describe("a body in a type the door does not read", () => {
  it("is refused with 415 problem+json by the admin and auth doors, not ignored", async () => {
    const before = (await t.admin.get(`/entities/${entityId}`).expect(200)).body;
    const xml = await t.admin
      .patch(`/entities/${entityId}`, undefined)
      .set("Content-Type", "application/xml")
      .send("<name>x</name>");
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect((await t.admin.get(`/entities/${entityId}`).expect(200)).body.version).toBe(before.version);
    expect((await raw("post", "/auth/login", "login=a&password=b", "text/plain")).status).toBe(415);
    // The one text/plain route still reads its body.
    const batch = await t.admin.post("/users/batch", undefined).set("Content-Type", "text/plain").send("not an email");
    expect(batch.status).not.toBe(415);
  });
});

describe("malformed percent-encoding in a path", () => {
  it("answers 400 in the door's format", async () => {
    expectScim400(await t.scim.get("/Users/%FF"), "invalidSyntax");
    expectScim400(await t.scim.get("/Groups/%E2%82"), "invalidSyntax");
    expectScim400(await t.scim.get("/Users/%00"), "invalidSyntax");
    expectProblem400(await t.admin.get("/users/%E2%82"), "invalid_path", "path");
    expectProblem400(await t.admin.patch("/entities/%ED%A0%80", { name: "x" }), "invalid_path", "path");
    expectProblem400(await request(t.app).get("/auth/invitations/%E2%82"), "invalid_path", "path");
  });
});

describe("SCIM PATCH operations beyond SCIM_PATCH_MAX_OPERATIONS", () => {
  const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: "add", path: "title", value: `${i}` }));

  it("answer 400 invalidValue naming the limit, before any work (users, groups, inside /Bulk)", async () => {
    const before = (await t.scim.get(`/Users/${userId}`).expect(200)).body;
    const res = await t.scim.patch(`/Users/${userId}`, patchOp(...ops(20_000)));
    expectScim400(res, "invalidValue");
    expect(res.body.detail).toMatch(/at most 50 operations/);
    expectScim400(await t.scim.patch(`/Groups/${groupId}`, patchOp(...ops(51))), "invalidValue");
    const bulk = await t.scim
      .post("/Bulk", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "PATCH", path: `/Users/${userId}`, data: patchOp(...ops(51)) }],
      })
      .expect(200);
    expect(bulk.body.Operations[0].status).toBe("400");
    expect(bulk.body.Operations[0].response).toMatchObject({
      scimType: "invalidValue",
      detail: expect.stringMatching(/at most 50/),
    });
    const after = (await t.scim.get(`/Users/${userId}`).expect(200)).body;
    expect(after.meta.version).toBe(before.meta.version);
    // At the limit it is still applied.
    await t.scim.patch(`/Users/${userId}`, patchOp(...ops(50))).expect(200);
  });
});
