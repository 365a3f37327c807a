import request from "supertest";
import { entity, scopedAdmin } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { sealAudits } from "../support/audit";
import { buildScimUser, patchOp } from "../support/factories";
import { scimGroup } from "../support/group-fixtures";
import { seedPerson } from "../support/people";

// GET /admin/v1/reports/reconciliation: stale pushes, people not pushed since a date, hand-made people in an IdP's
// domain, admin membership changes in IdP-pushed groups; JSON pages walked by cursor, the same lines as streamed CSV.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const DAY = 86_400_000;
/** Ten days ago: the stale person (pushed 45 days ago) and the never-pushed one were not pushed since. */
const since = new Date(Date.now() - 10 * DAY).toISOString();
const report = async (query = "") => (await t.admin.get(`/reports/reconciliation${query}`).expect(200)).body;
const pushedDaysAgo = (id: string, days: number | null) =>
  t.ds.query("UPDATE users SET last_pushed_at = $2 WHERE id = $1", [
    id,
    days === null ? null : new Date(Date.now() - days * DAY),
  ]);

describe("what a SCIM write stamps", () => {
  it("a push stamps last_pushed_at in its own statement; one that changes nothing stamps it when over an hour old", async () => {
    const p = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const stamp = async () =>
      (await t.ds.query("SELECT last_pushed_at FROM users WHERE id = $1", [p.id]))[0].last_pushed_at;
    expect(await stamp()).toBeInstanceOf(Date);
    await pushedDaysAgo(p.id, 3);
    await t.scim.patch(`/Users/${p.id}`, patchOp({ op: "replace", path: "title", value: "Chef" })).expect(200);
    expect(Date.now() - (await stamp()).getTime()).toBeLessThan(60_000);

    await pushedDaysAgo(p.id, 3);
    const version = (await t.scim.get(`/Users/${p.id}`).expect(200)).body.meta.version;
    await t.scim.put(`/Users/${p.id}`, { ...buildScimUser({ userName: p.userName }), title: "Chef" }).expect(200);
    expect(Date.now() - (await stamp()).getTime()).toBeLessThan(60_000);
    expect((await t.scim.get(`/Users/${p.id}`).expect(200)).body.meta.version).toBe(version);
    const first = await stamp();
    await t.scim.put(`/Users/${p.id}`, { ...buildScimUser({ userName: p.userName }), title: "Chef" }).expect(200);
    expect(await stamp()).toEqual(first);

    const admin = (await t.admin.post("/users", { email: "by.hand@corp.test", givenName: "Byy", familyName: "Hand" }))
      .body;
    await t.admin.patch(`/users/${admin.id}`, { title: "Hands" }).expect(200);
    expect(
      (await t.ds.query("SELECT last_pushed_at FROM users WHERE id = $1", [admin.id]))[0].last_pushed_at,
    ).toBeNull();
  });
});

describe("the report", () => {
  let stale: string;
  let fresh: string;
  let neverPushed: string;
  let handMade: string;
  let group: string;
  let idpGroup: string;
  beforeAll(async () => {
    await t.ds.query("UPDATE users SET active = false");
    stale = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id;
    await pushedDaysAgo(stale, 45);
    fresh = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id;
    neverPushed = (await seedPerson(t.ds, { source: "scim", createdAt: new Date(Date.now() - 60 * DAY) })).id;
    handMade = (
      await t.admin
        .post("/users", { email: "Hand.Made@IdP.Example", givenName: "Hand", familyName: "Made" })
        .expect(201)
    ).body.id;
    await t.admin
      .post("/users", { email: "elsewhere@other.example", givenName: "Else", familyName: "Where" })
      .expect(201);
    await t.admin.put("/settings/idp-domains", { domains: ["idp.example"] }).expect(200);
    idpGroup = await scimGroup(t);
    await t.admin.post(`/groups/${idpGroup}/members`, { ids: [fresh] }).expect(200);
    // A SCIM change of the same group is the IdP's own: not listed.
    await t.scim
      .patch(`/Groups/${idpGroup}`, patchOp({ op: "add", path: "members", value: [{ value: stale }] }))
      .expect(204);
    group = idpGroup;
    await sealAudits(t.ds);
  });

  it("lists each case once, kind after kind, saying why and what to do", async () => {
    const body = await report(`?since=${since}`);
    expect(body.next).toBeNull();
    const lines = body.items.map((l: { kind: string; subject: { id: string } }) => `${l.kind}:${l.subject.id}`);
    expect(lines).toEqual([
      `stale_push:${neverPushed}`,
      `stale_push:${stale}`,
      `not_pushed_since:${neverPushed}`,
      `not_pushed_since:${stale}`,
      `hand_made_in_idp_domain:${handMade}`,
      `admin_change_in_idp_group:${group}`,
    ]);
    for (const l of body.items) {
      expect(l.why).toEqual(expect.any(String));
      expect(l.todo).toEqual(expect.any(String));
    }
    expect(body.items[1].why).toContain("more than 30 days");
    expect(body.items[4].detail).toMatchObject({ domain: "idp.example", source: "admin" });
    expect(body.items[5].detail).toMatchObject({ action: "membership.added", members: [fresh] });
    expect(body.items[5].why).toContain("added members to");
  });

  it("leaves out what it was not asked for, and follows staleDays", async () => {
    const kinds = (b: { items: { kind: string }[] }) => [...new Set(b.items.map((l) => l.kind))];
    expect(kinds(await report())).toEqual(["stale_push", "hand_made_in_idp_domain", "admin_change_in_idp_group"]);
    const b = await report("?staleDays=50");
    expect(
      b.items
        .filter((l: { kind: string }) => l.kind === "stale_push")
        .map((l: { subject: { id: string } }) => l.subject.id),
    ).toEqual([neverPushed]);
  });

  it("pages by cursor without missing or repeating a line, whatever the page size", async () => {
    const whole = (await report(`?since=${since}&limit=500`)).items;
    const walked = [];
    let next: string | null = null;
    do {
      const page: { items: unknown[]; next: string | null } = await report(
        `?since=${since}&limit=1${next ? `&cursor=${next}` : ""}`,
      );
      walked.push(...page.items);
      next = page.next;
    } while (next);
    expect(walked).toEqual(whole);
  });

  it("answers the whole report as streamed CSV with Accept: text/csv", async () => {
    const res = await t.admin.get(`/reports/reconciliation?since=${since}`).set("Accept", "text/csv").expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = res.text.trim().split("\r\n");
    expect(rows[0]).toBe("kind,subject_type,subject_id,subject_name,at,detail,why,todo");
    expect(rows).toHaveLength(7);
    expect(rows[1]).toMatch(new RegExp(`^stale_push,user,${neverPushed},`));
  });

  it("refuses bad input with a 400 naming the parameter, and readers limited to some entities", async () => {
    for (const [query, field] of [
      ["?staleDays=0", "staleDays"],
      ["?since=yesterday", "since"],
      ["?limit=100000", "limit"],
      ["?color=red", "body"],
    ]) {
      const res = await t.admin.get(`/reports/reconciliation${query}`).expect(400);
      if (field !== "body") expect(res.body.field).toBe(field);
    }
    const bad = await t.admin.get("/reports/reconciliation?cursor=eyJrIjoxLCJwIjpbIngiLCJ5Il19").expect(400);
    expect(bad.body).toMatchObject({ field: "cursor" });
    const auditor = await t.token("auditor");
    await t.adminAs(auditor).get("/reports/reconciliation").expect(200);
    const { client } = await scopedAdmin(t, [await entity(t, "Report Site")]);
    expect((await client.get("/reports/reconciliation").expect(403)).body.code).toBe("out_of_scope");
    await request(t.app).get("/admin/v1/reports/reconciliation").expect(401);
  });
});
