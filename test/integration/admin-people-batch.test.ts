import request from "supertest";
import { startTestApp, type TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";
import { buildScimUser } from "../support/factories";

let t: TestApp;
let sso: TestApp;
beforeAll(async () => {
  // Both apps share this worker's database: the second start empties it, so SSO-only gets its token afterwards.
  sso = await startTestApp({ SSO_ONLY: "true" });
  t = await startTestApp({ ADMIN_BATCH_MAX_LINES: "5" });
});
afterAll(async () => {
  await t.close();
  await sso.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].count);

describe("POST /admin/v1/users/batch", () => {
  it("creates the valid lines and answers a result per line: created, exists, invalid with why, duplicate", async () => {
    const e = await entity(t, "Batch-site");
    const existing = await person(t);
    const res = await t.admin
      .post("/users/batch", {
        emails: [
          "alan.turing@corp.test",
          "not-an-email",
          "ALAN.TURING@corp.test",
          existing.email,
          { email: "x@corp.test", givenName: "Kurt", familyName: "Gödel" },
        ],
        entityId: e,
        language: "en",
        invite: "now",
      })
      .expect(200);
    expect(res.body.summary).toEqual({ created: 2, exists: 1, invalid: 1, duplicate: 1 });
    expect(res.body.results).toEqual([
      expect.objectContaining({ line: 1, status: "created", userName: "alan.turing", id: expect.any(String) }),
      expect.objectContaining({
        line: 2,
        status: "invalid",
        field: "email",
        detail: expect.stringContaining("not an email"),
      }),
      expect.objectContaining({ line: 3, status: "duplicate", duplicateOf: 1 }),
      expect.objectContaining({ line: 4, status: "exists", code: "email_taken" }),
      expect.objectContaining({ line: 5, status: "created", userName: "kurt.godel" }),
    ]);
    const alan = (await t.admin.get(`/users/${res.body.results[0].id}`).expect(200)).body;
    expect(alan).toMatchObject({
      givenName: "Alan",
      familyName: "Turing",
      language: "en",
      entity: { id: e },
      invitedAt: expect.any(String),
    });
    expect(
      await count("SELECT count(*) FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1", [
        alan.id,
      ]),
    ).toBe(1);
  });

  it("creates any pasted address: names read from first.last ones, else left empty for joining (userName: the email)", async () => {
    const res = await t.admin
      .post("/users/batch", ["jo.li@corp.test", "r2.d2@corp.test", "info@corp.test", "émile.zola@corp.test"])
      .expect(200);
    expect(res.body.results.map((r: { status: string; userName?: string }) => [r.status, r.userName])).toEqual([
      ["created", "jo.li@corp.test"],
      ["created", "r2.d2@corp.test"],
      ["created", "info@corp.test"],
      ["created", "emile.zola"],
    ]);
    const info = (await t.admin.get(`/users/${res.body.results[2].id}`).expect(200)).body;
    expect([info.givenName ?? null, info.familyName ?? null]).toEqual([null, null]);
  });

  it("still holds names given on a line to the policy: a short or digit name is refused by field", async () => {
    const res = await t.admin
      .post("/users/batch", [{ email: "someone@corp.test", givenName: "Al", familyName: "Turing" }])
      .expect(200);
    expect(res.body.results[0]).toMatchObject({ status: "invalid", field: "givenName" });
  });

  it("gives people of the same name distinct userNames, even when their lines are created at once", async () => {
    const emails = ["sam.smith@corp.test", "sam.smith@other.test", "SAM.SMITH@third.test", "sám.smith@fourth.test"];
    const res = await t.admin.post("/users/batch", emails).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      "created",
      "created",
      "created",
      "created",
    ]);
    expect(res.body.results.map((r: { userName: string }) => r.userName).sort()).toEqual([
      "sam.smith",
      "sam.smith2",
      "sam.smith3",
      "sam.smith4",
    ]);
  });

  it("reads text/plain, one email per line (names optional), settings from the query string", async () => {
    const e = await entity(t, "Text-site");
    const text = "# new starters\nlinus.torvalds@corp.test\n\nmargaret@corp.test, Margaret, Hamilton\nbad line\n";
    const res = await request(t.app)
      .post(`/admin/v1/users/batch?entityId=${e}&role=member&external=true`)
      .set("Authorization", `Bearer ${await t.token("admin")}`)
      .set("Content-Type", "text/plain")
      .send(text)
      .expect(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ line: 2, status: "created", userName: "linus.torvalds" }),
      expect.objectContaining({ line: 4, status: "created", userName: "margaret.hamilton" }),
      expect.objectContaining({ line: 5, status: "invalid", field: "email" }),
    ]);
    expect((await t.admin.get(`/users/${res.body.results[1].id}`).expect(200)).body).toMatchObject({
      external: true,
      entity: { id: e },
      email: "margaret@corp.test",
    });
  });

  it("refuses more lines than ADMIN_BATCH_MAX_LINES (413 batch_too_large) and an empty batch, creating nothing", async () => {
    const before = await count("SELECT count(*) FROM users");
    const six = Array.from({ length: 6 }, (_, i) => `many.people${"abcdef"[i]}@corp.test`);
    expect((await t.admin.post("/users/batch", { emails: six }).expect(413)).body.code).toBe("batch_too_large");
    expect((await t.admin.post("/users/batch", { emails: [] }).expect(400)).body.code).toBe("empty_batch");
    expect((await t.admin.post("/users/batch", { emails: [42] }).expect(400)).body.code).toBe("invalid_request");
    expect(await count("SELECT count(*) FROM users")).toBe(before);
  });

  it("refuses settings wrong for every line before writing any", async () => {
    const before = await count("SELECT count(*) FROM users");
    expect(
      (await t.admin.post("/users/batch", { emails: ["ok.person@corp.test"], language: "??" }).expect(400)).body.field,
    ).toBe("language");
    expect(
      (
        await t.admin
          .post("/users/batch", {
            emails: ["ok.person@corp.test"],
            adminScope: ["00000000-0000-4000-8000-000000000001"],
          })
          .expect(400)
      ).body.field,
    ).toBe("adminScope");
    expect(await count("SELECT count(*) FROM users")).toBe(before);
  });
});

describe("SSO-only mode (SSO_ONLY=true)", () => {
  it("refuses manual creation, single and batch, with 403 sso_only; SCIM still provisions", async () => {
    const client = sso.adminAs(await t.token("admin"));
    const one = await client
      .post("/users", { email: "a.person@corp.test", givenName: "Anna", familyName: "Smith" })
      .expect(403);
    expect(one.body).toMatchObject({ code: "sso_only", detail: expect.stringContaining("SSO") });
    expect((await client.post("/users/batch", { emails: ["a.person@corp.test"] }).expect(403)).body.code).toBe(
      "sso_only",
    );
    expect(await count("SELECT count(*) FROM users WHERE source = 'admin' AND lower(user_name) = 'anna.smith'")).toBe(
      0,
    );
    await request(sso.app)
      .post("/scim/v2/Users")
      .set("Authorization", `Bearer ${t.scimToken}`)
      .set("Content-Type", "application/scim+json")
      .send(JSON.stringify(buildScimUser()))
      .expect(201);
  });
});
