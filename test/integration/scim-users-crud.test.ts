import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, ENTERPRISE, patchOp } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("SCIM /Users create, read, replace, delete", () => {
  it("creates a user with 201, Location, ETag and meta.version", async () => {
    const body = buildScimUser({
      [ENTERPRISE]: { department: "Eng", manager: { value: "boss-1" } },
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    });
    const res = await t.scim.post("/Users", body).expect(201);
    expect(res.headers["content-type"]).toMatch(/application\/scim\+json/);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Users/${res.body.id}$`));
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.body.meta).toMatchObject({ resourceType: "User", version: 'W/"1"' });
    expect(res.body[ENTERPRISE]).toMatchObject({ department: "Eng", manager: { value: "boss-1" } });
    expect(res.body.password).toBeUndefined();
  });

  it("keeps userName casing and refuses a duplicate differing only in case with 409 uniqueness", async () => {
    const body = buildScimUser({ userName: "Grace.Hopper@Example.test" });
    await t.scim.post("/Users", body).expect(201);
    const dup = await t.scim.post("/Users", { ...body, userName: "grace.hopper@example.TEST" }).expect(409);
    expect(dup.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
    });
    const found = await t.scim
      .get(`/Users?filter=${encodeURIComponent('userName eq "GRACE.HOPPER@EXAMPLE.TEST"')}`)
      .expect(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].userName).toBe("Grace.Hopper@Example.test");
  });

  it("replaces the whole user on PUT: attributes left out are cleared", async () => {
    const created = (await t.scim.post("/Users", buildScimUser({ title: "Engineer", displayName: "Ada" })).expect(201))
      .body;
    const res = await t.scim
      .put(`/Users/${created.id}`, buildScimUser({ userName: created.userName, displayName: "Ada L." }))
      .expect(200);
    expect(res.body.displayName).toBe("Ada L.");
    expect(res.body.title).toBeUndefined();
    expect(res.body.meta.version).toBe('W/"2"');
  });

  it("honours If-Match (412 on a stale version) and If-None-Match (304)", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    await t.scim.get(`/Users/${created.id}`).set("If-None-Match", 'W/"1"').expect(304);
    await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "x" }))
      .set("If-Match", 'W/"7"')
      .expect(412);
    await t.scim
      .patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "x" }))
      .set("If-Match", 'W/"1"')
      .expect(200);
    const after = await t.scim.get(`/Users/${created.id}`).expect(200);
    expect(after.body.title).toBe("x");
    expect(after.headers.etag).toBe('W/"2"');
  });

  it("DELETE answers 204, then 404, keeps the account deactivated, and a new POST brings it back", async () => {
    const created = (await t.scim.post("/Users", buildScimUser({ title: "Keeper" })).expect(201)).body;
    await t.scim.delete(`/Users/${created.id}`).expect(204);
    const gone = await t.scim.get(`/Users/${created.id}`).expect(404);
    expect(gone.body.status).toBe("404");
    await t.scim.delete(`/Users/${created.id}`).expect(404);
    const [row] = await t.ds.query("SELECT active, removed_at, title FROM users WHERE id = $1", [created.id]);
    expect(row).toMatchObject({ active: false, title: "Keeper" });
    expect(row.removed_at).not.toBeNull();
    const list = await t.scim
      .get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}"`)}`)
      .expect(200);
    expect(list.body.totalResults).toBe(0);
    const back = await t.scim.post("/Users", buildScimUser({ userName: created.userName.toUpperCase() })).expect(201);
    expect(back.body.id).toBe(created.id);
    expect(back.body.active).toBe(true);
    const actions = await t.ds.query("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id", [created.id]);
    // An active person's removal is also their leave; coming back active is their return.
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      "user.created",
      "user.deactivated",
      "user.deleted",
      "user.restored",
      "user.reactivated",
    ]);
  });

  it("answers 404 with a SCIM error for unknown and non-uuid ids", async () => {
    for (const id of ["5b1c4d36-2b7a-4a57-9d6f-0e7c1b7f0d11", "not-a-uuid", "1"]) {
      const res = await t.scim.get(`/Users/${id}`).expect(404);
      expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
  });

  it("writes an audit record and a feed event in the same transaction as each change, and queues the leave", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200);
    const audit = await t.ds.query(
      "SELECT action, door, actor_name, changes, request_id FROM audit_events WHERE target_id = $1 ORDER BY id",
      [created.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(["user.created", "user.deactivated"]);
    expect(audit[1]).toMatchObject({
      door: "scim",
      actor_name: "test-idp",
      changes: { active: { before: true, after: false } },
    });
    expect(audit[1].request_id).toBeTruthy();
    const events = await t.ds.query("SELECT type, door FROM events WHERE subject_id = $1 ORDER BY seq", [created.id]);
    expect(events).toEqual([
      { type: "user.created", door: "scim" },
      { type: "user.deactivated", door: "scim" },
    ]);
    // Only the deactivation is queued: lifecycle's OnLeave consumes it, nothing consumes user.created (decision 0156).
    const queued = await t.ds.query("SELECT topic FROM outbox WHERE payload->>'userId' = $1 ORDER BY id", [created.id]);
    expect(queued.map((e: { topic: string }) => e.topic)).toEqual(["user.deactivated"]);
  });
});

describe("SCIM /Users values IdPs send", () => {
  it("stores Okta's password hashed (never returned) and Entra's role types", async () => {
    const body = buildScimUser({
      password: "Tr0ub4dor&3",
      roles: [{ value: "Reader", type: "WindowsAzureActiveDirectoryRole", primary: false }],
    });
    const res = await t.scim.post("/Users", body).expect(201);
    expect(res.body.password).toBeUndefined();
    expect(res.body.roles).toEqual([{ value: "Reader", type: "WindowsAzureActiveDirectoryRole", primary: false }]);
    const [row] = await t.ds.query("SELECT password_hash FROM users WHERE id = $1", [res.body.id]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain("Tr0ub4dor");
    // Okta's password sync: a path-less PATCH of the password alone stores a new hash.
    await t.scim
      .patch(`/Users/${res.body.id}`, patchOp({ op: "replace", value: { password: "N3w-secret!" } }))
      .expect(200);
    const [after] = await t.ds.query("SELECT password_hash FROM users WHERE id = $1", [res.body.id]);
    expect(after.password_hash).toMatch(/^scrypt\$/);
    expect(after.password_hash).not.toBe(row.password_hash);
  });
});
