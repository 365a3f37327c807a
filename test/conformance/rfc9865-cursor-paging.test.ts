/**
 * RFC 9865 cursor paging of /Users and /Groups beside RFC 7644 index paging, over HTTP (the query plan of a deep page
 * through the repository itself). Cursors are keyset positions: a walk sees every resource that existed when it
 * began exactly once, whatever is inserted meanwhile, and a deep page reads what the first one does.
 */
import type { PoolClient } from "pg";
import type { EntityManager } from "typeorm";
import { GroupsRepository } from "../../src/domain/groups/groups.repository";
import { UsersRepository } from "../../src/domain/users/users.repository";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, GROUP_SCHEMA, uniqueGroupName } from "../support/factories";
import { expectScimError, expectScimJson, type Json, LIST_URN } from "../support/scim-assertions";

const SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

let t: TestApp;
let users: string[];
let groups: string[];
beforeAll(async () => {
  t = await startTestApp();
  users = await seed(250, (i) =>
    t.scim.post(
      "/Users",
      buildScimUser({
        userName: `walker${String(i).padStart(3, "0")}@paging.test`,
        ...(i % 3 === 0 ? {} : { title: `T${i % 7}` }),
      }),
    ),
  );
  groups = await seed(120, (i) =>
    t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: `Walk ${String(i).padStart(3, "0")}` }),
  );
}, 120_000);
afterAll(async () => t.close());

/** Creates `n` resources, eight at a time; their ids. */
async function seed(n: number, create: (i: number) => PromiseLike<{ status: number; body: Json }>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 8) {
    const batch = await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, j) => create(i + j)));
    for (const res of batch) {
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
  }
  return ids;
}

/**
 * Follows nextCursor from an empty cursor to the last page; every page's body, in order. `during` runs at the same
 * time as each page's request (writes racing the walk).
 */
async function walk(path: string, query: string, during?: (page: number) => Promise<unknown>): Promise<Json[]> {
  const pages: Json[] = [];
  let cursor: string | undefined = "";
  while (cursor !== undefined) {
    const [res]: [{ status: number; body: Json }, unknown] = await Promise.all([
      t.scim.get(`${path}?${query}&cursor=${cursor}`),
      during?.(pages.length),
    ]);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

const idsOf = (pages: Json[]) => pages.flatMap((p) => p.Resources.map((r: Json) => r.id as string));

describe("RFC 9865 §2: cursor paging of /Users", () => {
  it("walks 250 users 50 at a time: each exactly once, nextCursor absent on the last page only, no startIndex", async () => {
    const pages = await walk("/Users", "count=50");
    expect(pages).toHaveLength(5);
    expect(idsOf(pages).sort()).toEqual([...users].sort());
    pages.forEach((p, i) => {
      expect(p.schemas).toEqual([LIST_URN]);
      expect(p.itemsPerPage).toBe(50);
      expect(p.startIndex).toBeUndefined();
      expect(p.nextCursor === undefined).toBe(i === pages.length - 1);
      expect(p.previousCursor === undefined).toBe(i === 0);
      if (p.nextCursor) expect(p.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/); // RFC 3986 unreserved characters only
    });
    // The total is counted on the first page; later pages leave it out (RFC 9865 §2 allows it) to stay flat.
    expect(pages[0].totalResults).toBe(250);
  });

  it.each([
    ["in creation order", "count=50"],
    ["sorted by userName, the new ones landing before, among and after the walked ones", "sortBy=userName&count=50"],
  ])(
    "gives no existing user twice and skips none while users are created during the walk, %s",
    async (_order, query) => {
      const before = new Set(idsOf([(await t.scim.get("/Users?count=1000").expect(200)).body]));
      let made = 0;
      const pages = await walk("/Users", query, () =>
        Promise.all(
          ["aaa", "mmm", "zzz"].map((prefix) =>
            t.scim
              .post("/Users", buildScimUser({ userName: `${prefix}-late${++made}-${query.length}@paging.test` }))
              .expect(201),
          ),
        ),
      );
      const seen = idsOf(pages);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => before.has(id)).sort()).toEqual([...before].sort());
    },
  );

  it("keeps the filter and sortBy of its first page, nulls last, the same order index paging gives", async () => {
    const query = `filter=${encodeURIComponent('userName sw "walker"')}&sortBy=title&sortOrder=descending`;
    const byIndex = await t.scim.get(`/Users?${query}&count=200`).expect(200);
    const rest = await t.scim.get(`/Users?${query}&count=200&startIndex=201`).expect(200);
    const pages = await walk("/Users", `${query}&count=40`);
    expect(idsOf(pages)).toEqual([...byIndex.body.Resources, ...rest.body.Resources].map((r: Json) => r.id));
    expect(pages.flatMap((p) => p.Resources).slice(-1)[0].title).toBeUndefined();
  });

  it("previousCursor leads back to the page before, down to the first one", async () => {
    const query = "sortBy=title&count=30";
    const forward = await walk("/Users", query);
    let body = forward[forward.length - 1];
    for (let i = forward.length - 2; i >= 0; i--) {
      body = (await t.scim.get(`/Users?${query}&cursor=${body.previousCursor}`).expect(200)).body;
      expect(body.Resources.map((r: Json) => r.id)).toEqual(forward[i].Resources.map((r: Json) => r.id));
      expect(body.nextCursor).toBeDefined();
    }
    expect(body.previousCursor).toBeUndefined();
  });

  it("RFC 9865 §3: POST /Users/.search pages by the cursor in its body", async () => {
    const first = await t.scim
      .post("/Users/.search", { schemas: [SEARCH_URN], filter: 'userName sw "walker"', cursor: "", count: 100 })
      .expect(200);
    expectScimJson(first);
    const second = await t.scim
      .post("/Users/.search", {
        schemas: [SEARCH_URN],
        filter: 'userName sw "walker"',
        cursor: first.body.nextCursor,
        count: 100,
      })
      .expect(200);
    const third = await t.scim
      .post("/Users/.search", {
        schemas: [SEARCH_URN],
        filter: 'userName sw "walker"',
        cursor: second.body.nextCursor,
        count: 100,
      })
      .expect(200);
    expect(third.body.nextCursor).toBeUndefined();
    expect(idsOf([first.body, second.body, third.body]).sort()).toEqual([...users].sort());
  });

  it("index paging (startIndex) is unchanged when no cursor is given", async () => {
    const res = await t.scim.get("/Users?startIndex=11&count=5").expect(200);
    expect(res.body.startIndex).toBe(11);
    expect(res.body.itemsPerPage).toBe(5);
    expect(res.body.nextCursor).toBeUndefined();
  });
});

describe("RFC 9865 §2.1: pagination errors", () => {
  let next: string;
  beforeAll(async () => {
    next = (await t.scim.get("/Users?cursor=&count=10").expect(200)).body.nextCursor;
  });

  it("startIndex and cursor together are a 400 invalidValue", async () => {
    const res = await t.scim.get(`/Users?startIndex=1&cursor=${next}`);
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidValue");
    const search = await t.scim.post("/Users/.search", { schemas: [SEARCH_URN], startIndex: 1, cursor: "" });
    expectScimError(search, 400);
  });

  it.each([
    ["not base64url", "!!!"],
    ["base64url of no JSON", Buffer.from("hello").toString("base64url")],
    ["a hand-made position", Buffer.from(JSON.stringify({ q: "x", d: "a", t: "now", i: "1" })).toString("base64url")],
  ])("a cursor that is %s is a 400 invalidCursor", async (_what, cursor) => {
    const res = await t.scim.get(`/Users?cursor=${cursor}`);
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidCursor");
  });

  it("a cursor of another filter, sort order or resource type is a 400 invalidCursor", async () => {
    for (const path of ["/Users?filter=userName%20sw%20%22w%22&", "/Users?sortOrder=descending&", "/Groups?"]) {
      const res = await t.scim.get(`${path}cursor=${next}`);
      expectScimError(res, 400);
      expect(res.body.scimType).toBe("invalidCursor");
    }
  });

  it("a forged position of the right query whose sort value the database cannot read is a 400, not a 500", async () => {
    const first = await t.scim.get("/Users?sortBy=active&cursor=&count=5").expect(200);
    const forged = { ...JSON.parse(Buffer.from(first.body.nextCursor, "base64url").toString()), s: "banana" };
    const res = await t.scim.get(
      `/Users?sortBy=active&cursor=${Buffer.from(JSON.stringify(forged)).toString("base64url")}`,
    );
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidCursor");
  });

  it("a count below 1 is a 400 invalidCount; one above the maximum is lowered to it", async () => {
    const res = await t.scim.get("/Users?cursor=&count=0");
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidCount");
    const big = await t.scim.get("/Users?cursor=&count=100000").expect(200);
    expect(big.body.itemsPerPage).toBe(t.cfg.SCIM_MAX_RESULTS);
  });

  it("the root /.search does not page by cursor across types", async () => {
    expectScimError(await t.scim.post("/.search", { schemas: [SEARCH_URN], cursor: "" }), 400);
  });
});

describe("RFC 9865 §2: cursor paging of /Groups", () => {
  it("walks 120 groups 25 at a time, each once, while groups are created", async () => {
    let made = 0;
    const pages = await walk("/Groups", "count=25&excludedAttributes=members", () =>
      t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName(`Late ${++made}`) }).expect(201),
    );
    const seen = idsOf(pages);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => groups.includes(id)).sort()).toEqual([...groups].sort());
    // The first page is read while the first late group is created: the count (its own statement) may include it.
    expect([120, 121]).toContain(pages[0].totalResults);
    expect(pages[0].startIndex).toBeUndefined();
  });

  it("sorted by displayName, filtered, forward and back", async () => {
    const query = `filter=${encodeURIComponent('displayName sw "walk"')}&sortBy=displayName&count=50`;
    const pages = await walk("/Groups", query);
    const names = pages.flatMap((p) => p.Resources.map((r: Json) => r.displayName as string));
    expect(names).toEqual(groups.map((_, i) => `Walk ${String(i).padStart(3, "0")}`));
    const back = await t.scim.get(`/Groups?${query}&cursor=${pages[2].previousCursor}`).expect(200);
    expect(back.body.Resources.map((r: Json) => r.id)).toEqual(pages[1].Resources.map((r: Json) => r.id));
  });
});

describe("RFC 9865 §4: /ServiceProviderConfig", () => {
  it("advertises cursor and index paging, index by default, and the page sizes", async () => {
    const res = await t.scim.get("/ServiceProviderConfig").expect(200);
    expect(res.body.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: t.cfg.SCIM_MAX_RESULTS,
      maxPageSize: t.cfg.SCIM_MAX_RESULTS,
    });
    expect(res.body.filter.supported).toBe(true);
  });
});

describe("a deep cursor page reads what the first one does (5,000 more users, 3,000 more groups)", () => {
  /** Runs the repository's page statement under EXPLAIN ANALYZE on a real connection; the plan's lines. */
  async function plan(run: (m: EntityManager) => Promise<unknown>): Promise<string> {
    const pool = (t.ds.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
    const client = await pool.connect();
    const lines: string[] = [];
    const explaining = {
      query: async (q: { text: string; values: unknown[] }) => {
        const res = await client.query({ text: `EXPLAIN (ANALYZE, COSTS OFF) ${q.text}`, values: q.values });
        lines.push(...res.rows.map((r: Record<string, string>) => r["QUERY PLAN"]));
        return { rows: [] };
      },
    };
    try {
      await run({ queryRunner: { connect: async () => explaining } } as unknown as EntityManager);
    } finally {
      client.release();
    }
    return lines.join("\n");
  }

  it("walks users_live_created_at_id_idx from the cursor's position, reading count + 1 ids, with no OFFSET", async () => {
    await t.ds.query(`INSERT INTO users (user_name, source, created_at)
      SELECT 'deep' || g || '@paging.test', 'scim', now() + g * interval '1 millisecond' FROM generate_series(1, 5000) g`);
    await t.ds.query("VACUUM ANALYZE users");
    const [row] = await t.ds.query(
      `SELECT created_at::text AS at, id FROM users WHERE removed_at IS NULL ORDER BY created_at, id OFFSET 4900 LIMIT 1`,
    );
    const repo = new UsersRepository();
    const deep = await plan((m) =>
      repo.page(m, { offset: 0, limit: 50 }, { position: { createdAt: row.at, id: row.id }, direction: "after" }),
    );
    expect(deep).toMatch(/Index (Only )?Scan using users_live_created_at_id_idx/);
    expect(deep).toMatch(/Index Cond: \(ROW\(created_at, id\) > ROW\(/);
    // The index scan stops after count + 1 rows, on page 99 as on page 1: no OFFSET walks the rows before.
    expect(deep).toMatch(/Index (Only )?Scan using users_live_created_at_id_idx[^\n]*rows=51(\.00)? loops=1/);
  });

  it("walks groups_created_at_id_idx from the cursor's position the same way", async () => {
    await t.ds.query(`INSERT INTO groups (display_name, created_at)
      SELECT 'Deep ' || g, now() + g * interval '1 millisecond' FROM generate_series(1, 3000) g`);
    await t.ds.query("VACUUM ANALYZE groups");
    const [row] = await t.ds.query(
      `SELECT created_at::text AS at, id FROM groups ORDER BY created_at, id OFFSET 2900 LIMIT 1`,
    );
    const deep = await plan((m) =>
      new GroupsRepository().page(
        m,
        { offset: 0, limit: 50 },
        { position: { createdAt: row.at, id: row.id }, direction: "after" },
      ),
    );
    expect(deep).toMatch(/Index Cond: \(ROW\(created_at, id\) > ROW\(/);
    expect(deep).toMatch(/Index (Only )?Scan using groups_created_at_id_idx[^\n]*rows=51(\.00)? loops=1/);
  });
});
