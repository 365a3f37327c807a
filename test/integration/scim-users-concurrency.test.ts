import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp, uniqueName } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("concurrency", () => {
  it("20 simultaneous creates of one userName (in varying case) make exactly one user; the rest get 409", async () => {
    const base = uniqueName("race");
    const variants = Array.from({ length: 20 }, (_, i) => (i % 2 ? base.toUpperCase() : base));
    const results = await Promise.all(variants.map((userName) => t.scim.post("/Users", buildScimUser({ userName }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const [{ count }] = await t.ds.query(
      "SELECT count(*)::int AS count FROM users WHERE lower(user_name) = lower($1)",
      [base],
    );
    expect(count).toBe(1);
    const [{ audits }] = await t.ds.query(
      "SELECT count(*)::int AS audits FROM audit_events WHERE action = 'user.created' AND changes->'userName'->>'after' ILIKE $1",
      [base],
    );
    expect(audits).toBe(1);
  });

  it("20 simultaneous creates of a removed userName bring the account back once", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    await t.scim.delete(`/Users/${created.id}`).expect(204);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.scim.post("/Users", buildScimUser({ userName: created.userName }))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(results.find((r) => r.status === 201)!.body.id).toBe(created.id);
  });

  it("concurrent PATCHes on one user never lose an update", async () => {
    const created = (await t.scim.post("/Users", buildScimUser({ emails: [] })).expect(201)).body;
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        t.scim.patch(
          `/Users/${created.id}`,
          patchOp({ op: "add", path: "emails", value: [{ value: `e${i}@x.test` }] }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
    const after = (await t.scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(after.emails.map((e: { value: string }) => e.value).sort()).toEqual(
      Array.from({ length: n }, (_, i) => `e${i}@x.test`).sort(),
    );
    expect(after.meta.version).toBe(`W/"${n + 1}"`);
  });
});
