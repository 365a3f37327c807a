import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { systemActor } from "../../src/domain/context";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, ENTERPRISE, PATCH_OP, USER_SCHEMA, uniqueName } from "../support/factories";
import { ERROR_URN, type Json } from "../support/scim-assertions";

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

// Small bulk limits, so the 413 tests stay cheap; BODY_LIMIT_BYTES (1 MiB) still applies to /Users.
const MAX_OPERATIONS = 10;
const MAX_PAYLOAD = 8192;
let t: TestApp;
beforeAll(async () => {
  // Strict: the unknown attributes below are refused (the default ignores them, msft-collection-quirks.test.ts).
  t = await startTestApp({
    SCIM_BULK_MAX_OPERATIONS: String(MAX_OPERATIONS),
    SCIM_BULK_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD),
    SCIM_STRICT_ATTRIBUTES: "true",
  });
});
afterAll(async () => t.close());

const bulk = (Operations: unknown[], extra: Json = {}) => ({ schemas: [BULK_REQUEST], Operations, ...extra });
const post = (bulkId: string, data: Json = buildScimUser()) => ({ method: "POST", path: "/Users", bulkId, data });
const managedBy = (ref: string, overrides: Json = {}) =>
  buildScimUser({ schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { manager: { value: ref } }, ...overrides });

/** POST /Bulk, expecting 200 and a BulkResponse; returns its Operations. */
async function runBulk(body: unknown): Promise<Json[]> {
  const res = await t.scim.post("/Bulk", body);
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/scim\+json/);
  expect(res.body.schemas).toEqual([BULK_RESPONSE]);
  return res.body.Operations;
}

const idFrom = (location: string) => location.split("/").pop()!;
const userRow = async (userName: string) =>
  (await t.ds.query("SELECT * FROM users WHERE lower(user_name) = lower($1)", [userName]))[0];
const countUsers = async () => Number((await t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n);
const auditOf = async (id: string) =>
  (await t.ds.query("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id", [id])).map(
    (a: Json) => a.action,
  );

describe("POST /Bulk: methods, locations and versions", () => {
  it("runs POST, PUT, PATCH and DELETE; each is answered with its status, location and version", async () => {
    const doomed = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const alice = buildScimUser({ displayName: "Alice" });
    const ops = await runBulk(
      bulk([
        post("alice", alice),
        { method: "PUT", path: "/Users/bulkId:alice", data: { ...alice, title: "Engineer" } },
        {
          method: "PATCH",
          path: "/Users/bulkId:alice",
          data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "nickName", value: "Al" }] },
        },
        { method: "DELETE", path: `/Users/${doomed.id}` },
      ]),
    );
    expect(ops.map((o) => [o.method, o.status])).toEqual([
      ["POST", "201"],
      ["PUT", "200"],
      ["PATCH", "200"],
      ["DELETE", "204"],
    ]);
    const id = idFrom(ops[0].location);
    expect(ops[0]).toEqual({
      method: "POST",
      bulkId: "alice",
      version: 'W/"1"',
      location: expect.stringMatching(new RegExp(`/scim/v2/Users/${id}$`)),
      status: "201",
    });
    expect(ops[1]).toMatchObject({ version: 'W/"2"', location: ops[0].location });
    expect(ops[2]).toMatchObject({ version: 'W/"3"', location: ops[0].location });
    expect(ops[3]).toEqual({
      method: "DELETE",
      location: expect.stringMatching(new RegExp(`/Users/${doomed.id}$`)),
      status: "204",
    });
    const read = (await t.scim.get(`/Users/${id}`).expect(200)).body;
    expect(read).toMatchObject({ displayName: "Alice", title: "Engineer", nickName: "Al", meta: { version: 'W/"3"' } });
    await t.scim.get(`/Users/${doomed.id}`).expect(404);
  });

  it("takes a version as If-Match: the current one applies, a stale or unreadable one is 412 and changes nothing", async () => {
    const u = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const setTitle = (title: string, version: string) => ({
      method: "PATCH",
      path: `/Users/${u.id}`,
      version,
      data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: title }] },
    });
    const ops = await runBulk(
      bulk([
        setTitle("first", 'W/"1"'),
        setTitle("second", 'W/"1"'),
        setTitle("third", "garbage"),
        { ...post("new"), version: "garbage" },
      ]),
    );
    // A create has no version to match: its `version` is ignored.
    expect(ops.map((o) => o.status)).toEqual(["200", "412", "412", "201"]);
    expect(ops[1].response).toMatchObject({ schemas: [ERROR_URN], status: "412" });
    expect(ops[1].location).toMatch(new RegExp(`/Users/${u.id}$`));
    expect((await t.scim.get(`/Users/${u.id}`).expect(200)).body).toMatchObject({
      title: "first",
      meta: { version: 'W/"2"' },
    });
  });
});

describe("POST /Bulk: bulkId references", () => {
  it("resolves a forward reference in data (the manager is created after the operation naming it)", async () => {
    const emp = managedBy("bulkId:boss");
    const boss = buildScimUser();
    const ops = await runBulk(bulk([post("emp", emp), post("boss", boss)]));
    expect(ops.map((o) => [o.bulkId, o.status])).toEqual([
      ["emp", "201"],
      ["boss", "201"],
    ]);
    const bossId = idFrom(ops[1].location);
    const read = (await t.scim.get(`/Users/${idFrom(ops[0].location)}`).expect(200)).body;
    expect(read[ENTERPRISE].manager.value).toBe(bossId);
    // The boss was created first: dependency order, answered in request order.
    const [bossRow, empRow] = [await userRow(boss.userName as string), await userRow(emp.userName as string)];
    expect(bossRow.created_at.getTime()).toBeLessThanOrEqual(empRow.created_at.getTime());
    expect(empRow.manager_id).toBe(bossId);
  });

  it("resolves a forward reference in a path (PATCH of a user created later in the request)", async () => {
    const later = buildScimUser();
    const ops = await runBulk(
      bulk([
        {
          method: "PATCH",
          path: "/Users/bulkId:later",
          data: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "title", value: "Patched" }] },
        },
        post("later", later),
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["200", "201"]);
    expect(ops[0].location).toBe(ops[1].location);
    expect(ops[0].version).toBe('W/"2"');
    expect((await userRow(later.userName as string)).title).toBe("Patched");
  });

  it("replaces every string equal to bulkId:<id>, wherever it is in data", async () => {
    const ops = await runBulk(
      bulk([
        post("a"),
        post(
          "b",
          buildScimUser({
            title: "bulkId:a",
            nickName: "not bulkId:a",
            emails: [{ value: "x@example.test", type: "work", display: "bulkId:a" }],
          }),
        ),
      ]),
    );
    const aId = idFrom(ops[0].location);
    const b = (await t.scim.get(`/Users/${idFrom(ops[1].location)}`).expect(200)).body;
    expect(b).toMatchObject({ title: aId, nickName: "not bulkId:a", emails: [{ display: aId }] });
  });

  it("fails circular references with 409 invalidValue, and what waits on them, while the rest still runs", async () => {
    const [a, b, c, d] = [managedBy("bulkId:b"), managedBy("bulkId:a"), managedBy("bulkId:a"), buildScimUser()];
    const before = await countUsers();
    const ops = await runBulk(
      bulk([post("a", a), post("b", b), post("c", c), post("d", d), post("self", managedBy("bulkId:self"))]),
    );
    expect(ops.map((o) => [o.bulkId, o.status])).toEqual([
      ["a", "409"],
      ["b", "409"],
      ["c", "409"],
      ["d", "201"],
      ["self", "409"],
    ]);
    for (const o of [ops[0], ops[1], ops[2], ops[4]]) {
      expect(o.response).toMatchObject({ schemas: [ERROR_URN], status: "409", scimType: "invalidValue" });
      expect(o.response.detail).toMatch(/circular/);
      expect(o.location).toBeUndefined();
    }
    expect(await countUsers()).toBe(before + 1);
    expect(await userRow(a.userName as string)).toBeUndefined();
  });

  it("fails an unknown bulkId with 400 invalidValue and an operation depending on a failed one with 409", async () => {
    const ops = await runBulk(
      bulk([
        post("x", managedBy("bulkId:nowhere")),
        post("bad", buildScimUser({ userName: "" })),
        {
          method: "PATCH",
          path: "/Users/bulkId:bad",
          data: { Operations: [{ op: "add", path: "title", value: "t" }] },
        },
        { method: "DELETE", path: "/Users/bulkId:x" },
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["400", "400", "409", "409"]);
    expect(ops[0].response).toMatchObject({
      scimType: "invalidValue",
      detail: expect.stringContaining("bulkId:nowhere"),
    });
    expect(ops[2].response).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("bulkId:bad") });
    expect(ops[3].response.detail).toContain("bulkId:x");
  });

  it("refuses a bulkId claimed by two POSTs, and whatever refers to it", async () => {
    const [one, two] = [buildScimUser(), buildScimUser()];
    const ops = await runBulk(bulk([post("twin", one), post("twin", two), post("child", managedBy("bulkId:twin"))]));
    expect(ops.map((o) => o.status)).toEqual(["400", "400", "409"]);
    expect(ops[0].response.detail).toMatch(/more than one POST/);
    expect(await userRow(one.userName as string)).toBeUndefined();
  });
});

describe("POST /Bulk: failOnErrors", () => {
  it("stops after failOnErrors errors: the operations left are neither run nor reported", async () => {
    const taken = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.userName;
    const [ok1, ok2] = [buildScimUser(), buildScimUser()];
    const ops = await runBulk(
      bulk(
        [
          post("ok1", ok1),
          post("dup", buildScimUser({ userName: taken })),
          post("bad", { userName: 7 }),
          post("ok2", ok2),
        ],
        { failOnErrors: 2 },
      ),
    );
    expect(ops.map((o) => [o.bulkId, o.status])).toEqual([
      ["ok1", "201"],
      ["dup", "409"],
      ["bad", "400"],
    ]);
    expect(ops[1].response).toMatchObject({ scimType: "uniqueness" });
    expect(await userRow(ok1.userName as string)).toBeDefined();
    expect(await userRow(ok2.userName as string)).toBeUndefined();
  });

  it("without failOnErrors runs everything, failures included", async () => {
    const ok = buildScimUser();
    const ops = await runBulk(bulk([post("bad", { userName: "" }), post("ok", ok)]));
    expect(ops.map((o) => o.status)).toEqual(["400", "201"]);
    const one = await runBulk(bulk([post("bad", { userName: "" }), post("ok", buildScimUser())], { failOnErrors: 1 }));
    expect(one.map((o) => o.bulkId)).toEqual(["bad"]);
  });
});

describe("POST /Bulk: each operation is its own transaction, audited like the same request alone", () => {
  it("a failed operation changes nothing: no row, no audit record, no feed event beyond the creation", async () => {
    const u = (await t.scim.post("/Users", buildScimUser({ title: "Keeper" })).expect(201)).body;
    const taken = buildScimUser({ userName: u.userName.toUpperCase() });
    const ops = await runBulk(
      bulk([
        { method: "PUT", path: `/Users/${u.id}`, data: { ...buildScimUser({ userName: u.userName }), shoeSize: 44 } },
        {
          method: "PATCH",
          path: `/Users/${u.id}`,
          data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "emails", value: "nope" }] },
        },
        {
          method: "PATCH",
          path: `/Users/${u.id}`,
          data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "userName", value: "\u0000" }] },
        },
        { method: "DELETE", path: `/Users/${u.id}`, version: 'W/"5"' },
        post("dup", taken),
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["400", "400", "400", "412", "409"]);
    expect(ops[0].response.detail).toContain("shoeSize");
    const row = await userRow(u.userName);
    expect(row).toMatchObject({ id: u.id, title: "Keeper", version: 1, removed_at: null });
    expect(await auditOf(u.id)).toEqual(["user.created"]);
    const events = await t.ds.query("SELECT type FROM events WHERE subject_id = $1", [u.id]);
    expect(events).toEqual([{ type: "user.created" }]);
    expect(await t.ds.query("SELECT topic FROM outbox WHERE payload->>'userId' = $1", [u.id])).toEqual([]);
  });

  it("writes one audit record and feed event per change: door scim, the token's name, the request's id", async () => {
    const [a, b] = [buildScimUser(), buildScimUser()];
    const res = await t.scim
      .post(
        "/Bulk",
        bulk([
          post("a", a),
          post("b", b),
          {
            method: "PATCH",
            path: "/Users/bulkId:a",
            data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: "False" }] },
          },
        ]),
      )
      .set("X-Request-Id", "bulk-audit-1")
      .expect(200);
    const [aId, bId] = [idFrom(res.body.Operations[0].location), idFrom(res.body.Operations[1].location)];
    const audit = await t.ds.query(
      "SELECT action, door, actor_name, target_id, request_id FROM audit_events WHERE request_id = 'bulk-audit-1' ORDER BY id",
    );
    expect(audit.map((r: Json) => [r.action, r.target_id])).toEqual([
      ["user.created", aId],
      ["user.created", bId],
      ["user.deactivated", aId],
    ]);
    for (const r of audit) expect(r).toMatchObject({ door: "scim", actor_name: "test-idp" });
    const events = await t.ds.query(
      "SELECT type, subject_id, door, actor->>'name' AS actor_name FROM events WHERE request_id = 'bulk-audit-1' ORDER BY seq",
    );
    expect(events.map((e: Json) => [e.type, e.subject_id])).toEqual([
      ["user.created", aId],
      ["user.created", bId],
      ["user.deactivated", aId],
    ]);
    for (const e of events) expect(e).toMatchObject({ door: "scim", actor_name: "test-idp" });
    // The outbox queues what a side module consumes (decision 0156): the leave, not the creations.
    const queued = await t.ds.query(
      "SELECT topic, payload->>'userId' AS user_id FROM outbox WHERE payload->>'requestId' = 'bulk-audit-1' ORDER BY id",
    );
    expect(queued).toEqual([{ topic: "user.deactivated", user_id: aId }]);
  });

  it("two identical bulk requests at once create the user once: one 201, one 409", async () => {
    const body = bulk([post("same", buildScimUser({ userName: uniqueName("race") }))]);
    const [x, y] = await Promise.all([t.scim.post("/Bulk", body), t.scim.post("/Bulk", body)]);
    expect([x.body.Operations[0].status, y.body.Operations[0].status].sort()).toEqual(["201", "409"]);
    const userName = (body.Operations[0] as { data: Json }).data.userName;
    expect(await t.ds.query("SELECT id FROM users WHERE user_name = $1", [userName])).toHaveLength(1);
  });
});

describe("POST /Bulk: the same door as a single request", () => {
  it("needs a bearer token of scope scim", async () => {
    await request(t.app)
      .post("/scim/v2/Bulk")
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(bulk([post("a")])))
      .expect(401);
    const { token } = await t.services.tokens.create(
      { actor: systemActor, door: "cli", requestId: null },
      "an-admin",
      "admin",
    );
    const res = await request(t.app)
      .post("/scim/v2/Bulk")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(bulk([post("a")])));
    expect(res.status).toBe(403);
  });

  it("validates each operation's data as /Users does: IdP dialects accepted, unknown attributes refused by name", async () => {
    const ops = await runBulk(
      bulk([
        post("entra", buildScimUser({ active: "False", Title: "Case" })),
        post("unknown", buildScimUser({ favouriteColour: "blue" })),
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["201", "400"]);
    expect((await t.scim.get(`/Users/${idFrom(ops[0].location)}`).expect(200)).body).toMatchObject({
      active: false,
      title: "Case",
    });
    expect(ops[1].response).toMatchObject({
      scimType: "invalidValue",
      detail: expect.stringContaining("favouriteColour"),
    });
  });

  it("answers an operation it cannot route like the same request alone, and runs the others", async () => {
    const ops = await runBulk(
      bulk([
        { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: 42 } },
        { method: "POST", path: "/Widgets", bulkId: "w", data: {} },
        { method: "POST", path: "/Users/123", bulkId: "p", data: {} },
        { method: "DELETE", path: "/Users" },
        { method: "GET", path: "/Users" },
        { method: "POST", path: "/Users", data: buildScimUser() },
        { method: "PUT", path: "/Users/x" },
        { method: "PATCH", path: "Users/x", data: {} },
        "not an operation",
        post("fine"),
      ]),
    );
    expect(ops.map((o) => o.status)).toEqual(["400", "404", "405", "405", "400", "400", "400", "400", "400", "201"]);
    expect(ops[0].response.detail).toMatch(/displayName/);
    expect(ops[4]).toMatchObject({
      method: "GET",
      response: { scimType: "invalidSyntax", detail: expect.stringContaining("Operations[4].method") },
    });
    expect(ops[5].response.detail).toBe("Operations[5].bulkId is required for POST");
    expect(ops[6].response.detail).toMatch(/Operations\[6\]\.data/);
  });

  it("refuses a bad envelope with 400 invalidSyntax and runs nothing", async () => {
    const before = await countUsers();
    const cases: unknown[] = [
      [post("a")],
      "text",
      { Operations: [post("a")] },
      { schemas: ["urn:x"], Operations: [post("a")] },
      bulk([]),
      { schemas: [BULK_REQUEST] },
      bulk([post("a")], { failOnErrors: 0 }),
      bulk([post("a")], { failOnErrors: "1" }),
      bulk([post("a")], { failOnErrors: 1.5 }),
    ];
    for (const body of cases) {
      const res = await t.scim.post("/Bulk", body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: "400", scimType: "invalidSyntax" });
    }
    const notJson = await t.scim.post("/Bulk").set("Content-Type", "application/scim+json").send("{ nope");
    expect(notJson.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    await t.scim.post("/Bulk").set("Content-Type", "text/plain").send("x").expect(415);
    await t.scim.get("/Bulk").expect(405);
    expect(await countUsers()).toBe(before);
  });

  it("accepts message attribute names in any case and methods in any case", async () => {
    const res = await t.scim
      .post("/Bulk", {
        Schemas: [BULK_REQUEST],
        operations: [{ Method: "post", Path: "/users", BulkId: "lc", Data: buildScimUser() }],
      })
      .expect(200);
    expect(res.body.Operations).toEqual([expect.objectContaining({ method: "POST", bulkId: "lc", status: "201" })]);
    expect(res.body.Operations[0].location).toMatch(/\/scim\/v2\/Users\//);
  });
});

describe("POST /Bulk: maxOperations and maxPayloadSize (RFC 7644 §3.7.4)", () => {
  it("advertises both limits in /ServiceProviderConfig, with bulk supported", async () => {
    const spc = (await t.scim.get("/ServiceProviderConfig").expect(200)).body;
    expect(spc.bulk).toEqual({ supported: true, maxOperations: MAX_OPERATIONS, maxPayloadSize: MAX_PAYLOAD });
  });

  it("answers 413 naming maxOperations when there are more operations, and runs none", async () => {
    const users = Array.from({ length: MAX_OPERATIONS + 1 }, () => buildScimUser());
    const res = await t.scim.post("/Bulk", bulk(users.map((u, i) => post(`u${i}`, u))));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      schemas: [ERROR_URN],
      status: "413",
      detail: expect.stringContaining(`maxOperations (${MAX_OPERATIONS})`),
    });
    expect(res.body.scimType).toBeUndefined();
    expect(await userRow(users[0].userName as string)).toBeUndefined();
    const atLimit = await runBulk(bulk(users.slice(1).map((u, i) => post(`u${i}`, u))));
    expect(atLimit.every((o) => o.status === "201")).toBe(true);
  });

  it("answers 413 naming maxPayloadSize for a larger body, and runs nothing; /Users keeps its own limit", async () => {
    const big = buildScimUser({ title: "x".repeat(MAX_PAYLOAD) });
    const res = await t.scim.post("/Bulk", bulk([post("big", big)]));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      schemas: [ERROR_URN],
      status: "413",
      detail: expect.stringContaining(`maxPayloadSize (${MAX_PAYLOAD} bytes)`),
    });
    expect(await userRow(big.userName as string)).toBeUndefined();
    const longer = buildScimUser({
      title: "x".repeat(2000),
      displayName: "y".repeat(2000),
      nickName: "z".repeat(2000),
      name: { formatted: "w".repeat(2000) },
    });
    expect(JSON.stringify(longer).length).toBeGreaterThan(MAX_PAYLOAD);
    await t.scim.post("/Users", longer).expect(201);
  });

  it("refuses a declared Content-Length over the limit before reading the body, and closes the connection", async () => {
    const server = await listen();
    try {
      const { status, headers, body } = await rawPost(server, { "Content-Length": String(50 * 1024 * 1024) }, () => {
        // Nothing of the 50 MiB is ever sent: the answer must not wait for it.
      });
      expect(status).toBe(413);
      expect(headers.connection).toBe("close");
      expect(JSON.parse(body)).toMatchObject({ status: "413", detail: expect.stringContaining("maxPayloadSize") });
    } finally {
      server.close();
    }
  });

  it("refuses a streamed (chunked) body once it grows past the limit", async () => {
    const server = await listen();
    try {
      const { status, body } = await rawPost(server, { "Transfer-Encoding": "chunked" }, (req) => {
        req.write(`{"schemas":["${BULK_REQUEST}"],"Operations":[`);
        for (let i = 0; i < 20; i++)
          req.write(`${i ? "," : ""}${JSON.stringify(post(`c${i}`, buildScimUser({ title: "x".repeat(600) })))}`);
        req.end("]}");
      });
      expect(status).toBe(413);
      expect(JSON.parse(body).detail).toContain(`maxPayloadSize (${MAX_PAYLOAD} bytes)`);
    } finally {
      server.close();
    }
  });
});

describe("POST /Bulk: garbage operations never yield a 500", () => {
  it("answers every generated operation with a client status (fixed seed)", async () => {
    let seed = 29;
    const r = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const methods: unknown[] = ["POST", "put", "PATCH", "DELETE", "GET", 7, null, "Patch"];
    const paths: unknown[] = [
      "/Users",
      "/Users/bulkId:a",
      "/Users/bulkId:",
      "/users/%E0%A4%A",
      "/Users/bulkId:b",
      "/Groups/bulkId:a",
      "",
      "/",
      3,
      "/Users/a/b",
    ];
    const datas: unknown[] = [
      buildScimUser(),
      { Operations: [{ op: "add", path: "title", value: "bulkId:a" }] },
      { userName: "bulkId:b" },
      [],
      "x",
      null,
      { Operations: "no" },
      managedBy("bulkId:a"),
    ];
    for (let round = 0; round < 15; round++) {
      const ops = Array.from({ length: MAX_OPERATIONS }, () => {
        const op: Json = { method: pick(methods), path: pick(paths), data: pick(datas) };
        if (r() < 0.7) op.bulkId = pick(["a", "b", "", "a"]);
        if (r() < 0.2) op.version = pick(['W/"1"', "*", 5, "junk"]);
        return op;
      });
      for (const o of await runBulk(bulk(ops, r() < 0.3 ? { failOnErrors: 3 } : {}))) {
        expect(["200", "201", "204", "400", "404", "405", "409", "412", "501"]).toContain(o.status);
        if (o.response) expect(o.response.schemas).toEqual([ERROR_URN]);
      }
    }
  });
});

async function listen(): Promise<http.Server> {
  return new Promise((resolve) => {
    const server = t.app.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** A POST /scim/v2/Bulk over a real socket: `send` writes (or withholds) the body. */
function rawPost(server: http.Server, headers: Record<string, string>, send: (req: http.ClientRequest) => void) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/scim/v2/Bulk",
        headers: { Authorization: `Bearer ${t.scimToken}`, "Content-Type": "application/scim+json", ...headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => {
          resolve({ status: res.statusCode!, headers: res.headers, body });
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    req.flushHeaders();
    send(req);
  });
}
