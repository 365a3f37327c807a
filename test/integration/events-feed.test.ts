import { Client } from "pg";
import { entity, scopedAdmin } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";

// GET /admin/v1/events: the feed's shape, its cursor, its bad input, and never missing nor repeating an event when
// transactions commit out of order (several connections, as several replicas would be).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

interface Page {
  items: { id: string; type: string; time: string; subject: { type: string; id: string }; data: any }[];
  next: string;
}
const page = async (query = ""): Promise<Page> => (await t.admin.get(`/events${query}`).expect(200)).body;

/**
 * Reads the feed from `after` to its end, page by page, until it has at least `atLeast` items: a transaction still
 * running anywhere in the cluster (another jest worker's database too) holds the horizon back for a moment.
 */
async function drain(after: string | null, atLeast = 0, limit = 50): Promise<{ items: Page["items"]; next: string }> {
  const items: Page["items"] = [];
  let cursor = after;
  const end = Date.now() + 10_000;
  for (;;) {
    const p = await page(`?limit=${limit}${cursor ? `&after=${cursor}` : ""}`);
    items.push(...p.items);
    cursor = p.next;
    if (p.items.length < limit && (items.length >= atLeast || Date.now() > end)) return { items, next: p.next };
    if (p.items.length < limit) await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the feed", () => {
  it("lists a person's life in order: created, updated with old and new values, deactivated, reactivated", async () => {
    const start = (await page()).next;
    const u = (await t.scim.post("/Users", buildScimUser({ title: "Cook" })).expect(201)).body;
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "Chef" })).expect(200);
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200);
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: true })).expect(200);
    const { items } = await drain(start, 4);
    expect(items.map((e) => e.type)).toEqual(["user.created", "user.updated", "user.deactivated", "user.reactivated"]);
    for (const e of items) expect(e.subject).toEqual({ type: "user", id: u.id });
    expect(items[1].data.changes).toEqual({ title: { old: "Cook", new: "Chef" } });
    expect(items[0]).toMatchObject({ door: "scim", actor: { type: "token", name: "test-idp" } });
    expect(new Set(items.map((e) => e.id)).size).toBe(4);
    expect(Date.parse(items[0].time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("the SCIM fast paths (PUT and an Okta PATCH of active as one statement) write the same feed events", async () => {
    const start = (await page()).next;
    const body = buildScimUser({ title: "Cook" });
    const u = (await t.scim.post("/Users", body).expect(201)).body;
    await t.scim.put(`/Users/${u.id}`, { ...body, title: "Chef" }).expect(200);
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", value: { active: false } })).expect(200);
    const { items } = await drain(start, 3);
    expect(items.map((e) => e.type)).toEqual(["user.created", "user.updated", "user.deactivated"]);
    expect(items[1].data.changes).toEqual({ title: { old: "Cook", new: "Chef" } });
    expect(items[2]).toMatchObject({ subject: { type: "user", id: u.id }, door: "scim", actor: { name: "test-idp" } });
  });

  it("groups and memberships; filtered by types; the cursor goes on after what a filter skipped", async () => {
    const start = (await page()).next;
    const u = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const g = (
      await t.scim
        .post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName(), members: [{ value: u.id }] })
        .expect(201)
    ).body;
    let groupOnly = await page(`?after=${start}&types=group.created,membership.added`);
    for (let i = 0; i < 100 && groupOnly.items.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50)); // the horizon, held back a moment by another transaction
      groupOnly = await page(`?after=${start}&types=group.created,membership.added`);
    }
    expect(groupOnly.items.map((e) => [e.type, e.subject])).toEqual([
      ["group.created", { type: "group", id: g.id }],
      ["membership.added", { type: "group", id: g.id }],
    ]);
    expect(groupOnly.items[1].data.userIds).toEqual([u.id]);
    // nothing more of those types: the cursor still moved past the user.created the filter skipped
    const again = await page(`?after=${groupOnly.next}&types=user.created`);
    expect(again.items).toEqual([]);
  });

  it("an empty page gives its cursor back; the next change comes after it", async () => {
    const end = (await drain(null)).next;
    const empty = await page(`?after=${end}`);
    expect(empty.items).toEqual([]);
    const u = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
    const after = await drain(empty.next, 1);
    expect(after.items.map((e) => [e.type, e.subject.id])).toEqual([["user.created", u.id]]);
  });

  it("auditors read it; an admin limited to some entities does not", async () => {
    await t
      .adminAs(await t.token("auditor"))
      .get("/events")
      .expect(200);
    const scoped = await scopedAdmin(t, [await entity(t, "Feed branch")]);
    const res = await scoped.client.get("/events").expect(403);
    expect(res.body.code).toBe("out_of_scope");
  });
});

describe("bad input: problem+json naming the field", () => {
  it.each([
    ["after=nope", "after"],
    [`after=${Buffer.from("e1:1:x").toString("base64url")}`, "after"],
    [`after=${Buffer.from("e1:99999999999999999999:1").toString("base64url")}`, "after"],
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["types=user.created,user.exploded", "types"],
    ["types=", "types"],
    ["colour=red", "colour"],
  ])("%s", async (query, field) => {
    const res = await t.admin.get(`/events?${query}`).expect(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});

describe("out-of-order commits", () => {
  it("an event of a transaction still open is not handed out; it comes once it commits, before what committed first", async () => {
    const start = (await drain(null)).next;
    const slow = new Client({ connectionString: await workerDatabaseUrl() });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      await slow.query(
        `INSERT INTO events (type, subject_type, subject_id, data, door, actor) VALUES ('entity.created', 'entity', 'slow', '{}', 'admin', '{}')`,
      );
      const u = (await t.scim.post("/Users", buildScimUser()).expect(201)).body;
      const meanwhile = await drain(start);
      expect(meanwhile.items).toEqual([]); // the later, committed change waits behind the open transaction
      await slow.query("COMMIT");
      const { items } = await drain(meanwhile.next, 2);
      expect(items.map((e) => e.subject.id)).toEqual(["slow", u.id]);
    } finally {
      await slow.end();
    }
  });

  it("writers on several connections committing out of order, a reader keeping its cursor: every event once", async () => {
    const start = (await drain(null)).next;
    const url = await workerDatabaseUrl();
    const writers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    const written: string[] = [];
    let writing = true;
    const write = async (c: Client, w: number) => {
      for (let i = 0; i < 25; i++) {
        await c.query("BEGIN");
        const { rows } = await c.query(
          `INSERT INTO events (type, subject_type, subject_id, data, door, actor)
           VALUES ('entity.updated', 'entity', $1, '{}', 'admin', '{}') RETURNING id`,
          [`w${w}-${i}`],
        );
        // hold the transaction open a random while: later transactions commit before earlier ones
        await c.query("SELECT pg_sleep($1)", [Math.random() * 0.03]);
        await c.query("COMMIT");
        written.push(rows[0].id);
      }
    };
    const seen: string[] = [];
    const read = async () => {
      let cursor = start;
      while (writing || seen.length < written.length) {
        const p = await page(`?after=${cursor}&limit=7`);
        seen.push(...p.items.map((e) => e.id));
        cursor = p.next;
        if (!writing && p.items.length === 0 && seen.length >= written.length) break;
      }
    };
    try {
      const reader = read();
      await Promise.all(writers.map((c, w) => write(c, w)));
      writing = false;
      await reader;
    } finally {
      await Promise.all(writers.map((c) => c.end()));
    }
    expect(seen.length).toBe(150);
    expect(new Set(seen).size).toBe(150);
    expect(new Set(seen)).toEqual(new Set(written));
  });
});

describe("retention", () => {
  it("events older than EVENTS_RETENTION_DAYS are pruned, newer ones kept", async () => {
    await t.ds.query(
      `INSERT INTO events (type, subject_type, subject_id, data, door, actor, time)
       VALUES ('entity.deleted', 'entity', 'old', '{}', 'admin', '{}', now() - interval '31 days'),
              ('entity.deleted', 'entity', 'recent', '{}', 'admin', '{}', now() - interval '29 days')`,
    );
    expect(await t.services.events.prune(30)).toBeGreaterThanOrEqual(1);
    const left = await t.ds.query("SELECT subject_id FROM events WHERE subject_id IN ('old', 'recent')");
    expect(left).toEqual([{ subject_id: "recent" }]);
  });
});
