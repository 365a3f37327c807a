import { startTestApp, type TestApp } from "../support/app";
import { appendAudits, resetAuditLog } from "../support/audit";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

interface Item {
  seq: number;
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  door: string;
  action: string;
  target: { type: string; id: string | null };
  changes: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
  hash: string;
}
const seqs = (items: Item[]) => items.map((i) => i.seq);
const list = async (query: string, client = t.admin) =>
  (await client.get(`/audit${query}`).expect(200)).body as { items: Item[]; nextCursor: string | null };

/** Follows nextCursor to the end, calling `between` after each page. */
async function pageAll(query: string, between: () => Promise<unknown> = async () => undefined): Promise<Item[]> {
  const all: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Item[]; nextCursor: string | null } = await list(
      `${query}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
    await between();
  } while (cursor);
  return all;
}

describe("GET /admin/v1/audit", () => {
  beforeAll(async () => resetAuditLog(t.ds));

  it("lists every change from every door, newest first, with its chain fields", async () => {
    const user = (await t.scim.post("/Users", buildScimUser()).set("X-Request-Id", "req-audit-1").expect(201)).body;
    await t.scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "title", value: "Engineer" })).expect(200);
    await t.token("auditor");
    const { items, nextCursor } = await list("");
    expect(nextCursor).toBeNull();
    expect(items.map((i) => i.action)).toEqual(["token.created", "user.updated", "user.created"]);
    expect(seqs(items)).toEqual([3, 2, 1]);
    expect(items[2]).toMatchObject({
      door: "scim",
      actor: { type: "token", name: "test-idp" },
      target: { type: "user", id: user.id },
      requestId: "req-audit-1",
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      prevHash: "0".repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(items[1].changes).toEqual({ title: { before: null, after: "Engineer" } });
    expect(items[1].prevHash).toBe(items[2].hash);
    expect(items[0]).toMatchObject({ door: "cli", target: { type: "token" } });
  });

  it("is readable by auditors, and read-only for them", async () => {
    const auditor = t.adminAs(await t.token("auditor"));
    expect((await list("?limit=1", auditor)).items).toHaveLength(1);
    expect((await auditor.post("/audit", {}).expect(403)).body.code).toBe("read_only");
    expect((await t.adminAs(t.scimToken).get("/audit").expect(403)).body.code).toBe("wrong_scope");
  });

  it("pages by cursor with no record lost or repeated while new ones are appended (both orders)", async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 23);
    const newestFirst = await pageAll("?limit=5", () => appendAudits(t.ds, 3));
    // Newest first covers exactly what existed at the first page; later appends are above it.
    expect(seqs(newestFirst)).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));
    const total = Number((await t.ds.query("SELECT count(*) FROM audit_events"))[0].count);
    let appended = 0;
    const oldestFirst = await pageAll("?limit=7&order=asc", async () => {
      if (appended++ < 3) await appendAudits(t.ds, 2);
    });
    // Oldest first runs into the records appended meanwhile, once each.
    expect(seqs(oldestFirst)).toEqual(Array.from({ length: total + 6 }, (_, i) => i + 1));
  });

  it("shows records committed just before the read, sealing them first (no background sealer runs in tests)", async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 3);
    await appendAudits(t.ds, 2, { seal: false, action: "test.just-written" });
    const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const { items } = await list("?limit=10");
    expect(items.map((i) => i.action)).toEqual([
      "user.created",
      "test.just-written",
      "test.just-written",
      "test.seeded",
      "test.seeded",
      "test.seeded",
    ]);
    expect(seqs(items)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(items[0].target.id).toBe(user.id);
    expect(items[0].prevHash).toBe(items[1].hash);
    expect(
      Number(
        (
          await t.ds.query(
            "SELECT count(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.id = a.id)",
          )
        )[0].count,
      ),
    ).toBe(0);
  });

  it("pages exactly while records are written unsealed between pages (each page seals before it reads)", async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 11, { seal: false });
    let appended = 0;
    const oldestFirst = await pageAll("?limit=4&order=asc", async () => {
      if (appended++ < 3) await appendAudits(t.ds, 2, { seal: false });
    });
    expect(seqs(oldestFirst)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    await appendAudits(t.ds, 2, { seal: false });
    const newestFirst = await pageAll("?limit=4", () => appendAudits(t.ds, 1, { seal: false }));
    expect(seqs(newestFirst)).toEqual(Array.from({ length: 19 }, (_, i) => 19 - i));
  });

  it("caps the page size at 500", async () => {
    await appendAudits(t.ds, 520);
    const page = await list("?limit=100000");
    expect(page.items).toHaveLength(500);
    expect(page.nextCursor).not.toBeNull();
    expect((await list("")).items).toHaveLength(50);
  });
});

describe("GET /admin/v1/audit filters", () => {
  const userA = "11111111-1111-4111-8111-111111111111";
  const userB = "22222222-2222-4222-8222-222222222222";
  const group = "33333333-3333-4333-8333-333333333333";
  beforeAll(async () => {
    await resetAuditLog(t.ds);
    await appendAudits(t.ds, 2, {
      at: "2026-01-10T08:00:00Z",
      door: "scim",
      actorType: "token",
      actorId: "tok-1",
      actorName: "Okta-Prod",
      action: "user.created",
      targetId: userA,
    });
    await appendAudits(t.ds, 1, {
      at: "2026-01-11T08:00:00Z",
      door: "scim",
      actorType: "token",
      actorId: "tok-1",
      actorName: "Okta-Prod",
      action: "user.updated",
      targetId: userB,
    });
    await appendAudits(t.ds, 1, {
      at: "2026-01-12T08:00:00Z",
      door: "admin",
      actorType: "user",
      actorId: userB,
      actorName: "bob@corp.test",
      action: "user.deactivated",
      targetId: userA,
    });
    await appendAudits(t.ds, 1, {
      at: "2026-01-13T08:00:00Z",
      door: "admin",
      actorType: "user",
      actorId: userB,
      actorName: "bob@corp.test",
      action: "group.member_added",
      targetType: "group",
      targetId: group,
    });
    await appendAudits(t.ds, 1, {
      at: "2026-01-14T08:00:00Z",
      door: "cli",
      actorName: "cli:root",
      action: "token.created",
      targetType: "token",
      targetId: "tok-2",
    });
    await appendAudits(t.ds, 1, {
      at: "2026-01-15T08:00:00Z",
      door: "scim",
      actorName: "Okta-Prod",
      action: "users.exported",
      targetId: null,
    });
  });

  it.each([
    ["actor by id", `?actor=tok-1`, [3, 2, 1]],
    ["actor by name, any case", `?actor=okta-prod`, [7, 3, 2, 1]],
    ["actor by a person's id", `?actor=${userB}`, [5, 4]],
    ["door", `?door=admin`, [5, 4]],
    ["action, exact", `?action=user.created`, [2, 1]],
    ["action prefix with a dot (user. is not users.)", `?action=user.`, [4, 3, 2, 1]],
    ["action prefix with .*", `?action=group.*`, [5]],
    ["user (records about that user)", `?user=${userA}`, [4, 2, 1]],
    ["group (records about that group)", `?group=${group}`, [5]],
    ["from (inclusive)", `?from=2026-01-12T08:00:00Z`, [7, 6, 5, 4]],
    ["to (exclusive), with an offset: 10:00+02:00 is 08:00Z", `?to=2026-01-11T10:00:00%2B02:00`, [2, 1]],
    ["a day range given as dates", `?from=2026-01-11&to=2026-01-13`, [4, 3]],
    ["several at once", `?door=scim&action=user.&from=2026-01-11`, [3]],
    ["a user no record is about", `?user=44444444-4444-4444-8444-444444444444`, []],
  ])("%s", async (_case, query, expected) => {
    expect(seqs((await list(query)).items)).toEqual(expected);
  });

  it.each([
    ["from", "?from=yesterday"],
    ["to", "?to=2026-01-11T10:00"],
    ["to", "?from=2026-02-01&to=2026-01-01"],
    ["door", "?door=pigeon"],
    ["user", "?user=42"],
    ["group", "?group=not-a-uuid"],
    ["action", "?action=user.%2A.x"],
    ["limit", "?limit=0"],
    ["limit", "?limit=ten"],
    ["cursor", "?cursor=bm9wZQ"],
    ["cursor", `?order=asc&cursor=${Buffer.from("v1.desc.5").toString("base64url")}`],
    ["usr", "?usr=abc"],
  ])("refuses a bad %s with 400 naming it (%s)", async (field, query) => {
    const res = await t.admin.get(`/audit${query}`).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "invalid_request", field });
  });
});
