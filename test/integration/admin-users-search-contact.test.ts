import { startTestApp, type TestApp } from "../support/app";
import { seedPerson } from "../support/people";

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  ids.mailed = (await seedPerson(t.ds, { userName: "mailed@corp.test" })).id;
  ids.addressName = (await seedPerson(t.ds, { userName: "only.name@corp.test", emails: [] })).id;
  ids.nobody = (await seedPerson(t.ds, { userName: "nobody", emails: [] })).id;
  ids.blank = (await seedPerson(t.ds, { userName: "blank", emails: ["   "] })).id;
  ids.phoned = (await seedPerson(t.ds, { userName: "phoned", emails: [] })).id;
  await t.ds.query(`UPDATE users SET phone_numbers = '[{"value": "+33600000000", "type": "mobile"}]' WHERE id = $1`, [
    ids.phoned,
  ]);
  ids.joined = (await seedPerson(t.ds, { userName: "joined", emails: [], enrolledAt: new Date() })).id;
});
afterAll(async () => t.close());

const names = (body: { items: { id: string }[] }) =>
  body.items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? i.id).sort();

describe("GET /admin/v1/users?contact: somewhere an invitation can go", () => {
  it("contact=false: no email address, no userName that is one, no phone (blank values are none)", async () => {
    const res = await t.admin.get("/users?contact=false").expect(200);
    expect(names(res.body)).toEqual(["blank", "joined", "nobody"]);
  });

  it("contact=true: an email, a userName that is an address, or a phone", async () => {
    const res = await t.admin.get("/users?contact=true").expect(200);
    expect(names(res.body)).toEqual(["addressName", "mailed", "phoned"]);
  });

  it("enrolled=false&contact=false is no enrolment possible; a mass action takes the same filter", async () => {
    const res = await t.admin.get("/users?enrolled=false&contact=false").expect(200);
    expect(names(res.body)).toEqual(["blank", "nobody"]);
    const run = await t.admin
      .post("/users/actions", { action: "invite", filter: { enrolled: false, contact: false } })
      .expect(200);
    expect(run.body.total).toBe(2);
    expect(run.body.failed).toBe(2);
  });

  it("refuses a value that is not a boolean, naming it", async () => {
    const res = await t.admin.get("/users?contact=maybe").expect(400);
    expect(JSON.stringify(res.body)).toContain("contact");
  });
});

describe("UsersSearch.countUpTo: a count that never reads past its cap", () => {
  const ctx = { actor: { type: "system" as const, id: null, name: "test" }, door: "admin" as const, requestId: null };

  it("is exact up to the cap, then says more than the cap with an estimate", async () => {
    expect(await t.services.search.countUpTo(ctx, { contact: false }, 10)).toEqual({
      count: 3,
      exact: true,
      estimate: 3,
    });
    const capped = await t.services.search.countUpTo(ctx, {}, 2);
    expect(capped.count).toBe(2);
    expect(capped.exact).toBe(false);
    expect(capped.estimate).toBeGreaterThan(2);
  });
});
