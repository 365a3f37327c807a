import { startTestApp, type TestApp } from "../support/app";
import { seedPerson } from "../support/people";

let t: TestApp;
const FAMILIES = ["Ébert", "adams", "Zola", "martin", "Martin", "Ørsted", null];
const seeded: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const base = Date.now() - 1_000_000;
  for (let i = 0; i < 23; i++) {
    const { id } = await seedPerson(t.ds, {
      userName: `user${String((i * 7) % 23).padStart(2, "0")}@page.test`,
      familyName: FAMILIES[i % FAMILIES.length],
      // Some share a creation time and a last login, so the id has to break the tie.
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      lastLoginAt: i % 4 === 0 ? null : new Date(base + (i % 5) * 60_000),
    });
    seeded.push(id);
  }
});
afterAll(async () => t.close());

interface Item {
  id: string;
  userName: string;
  familyName: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

async function allPages(qs: string, limit: number, between?: (page: number) => Promise<void>): Promise<Item[][]> {
  const pages: Item[][] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: Item[]; nextCursor: string | null } } = await t.admin
      .get(`/users?${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`)
      .expect(200);
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
    if (cursor && between) await between(pages.length);
  } while (cursor);
  return pages;
}

/** The order PostgreSQL sorts by, read back from the database independently of the search code. */
async function expectedOrder(orderBy: string): Promise<string[]> {
  const rows = await t.ds.query(`SELECT id FROM users u WHERE removed_at IS NULL ORDER BY ${orderBy}`);
  return rows.map((r: { id: string }) => r.id);
}

describe("GET /admin/v1/users: sorted keyset pages", () => {
  it.each([
    ["userName", "lower(u.user_name)"],
    ["-userName", "lower(u.user_name) DESC"],
    ["familyName", "lower(coalesce(u.family_name, '')), u.id"],
    ["-familyName", "lower(coalesce(u.family_name, '')) DESC, u.id DESC"],
    ["createdAt", "u.created_at, u.id"],
    ["-createdAt", "u.created_at DESC, u.id DESC"],
    ["lastLoginAt", "coalesce(u.last_login_at, '-infinity'), u.id"],
    ["-lastLoginAt", "coalesce(u.last_login_at, '-infinity') DESC, u.id DESC"],
  ])("sort=%s walks every user once, in order, over pages", async (sort, orderBy) => {
    const pages = await allPages(`sort=${sort}`, 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(pages.flat().map((i) => i.id)).toEqual(await expectedOrder(orderBy));
  });

  it("ends with nextCursor null, also when the last page is exactly full", async () => {
    const pages = await allPages("sort=createdAt", 23);
    expect(pages.map((p) => p.length)).toEqual([23]);
  });

  it("keeps filters across pages", async () => {
    const pages = await allPages("q=martin&sort=familyName", 2);
    expect(pages.flat().every((i) => i.familyName?.toLowerCase() === "martin")).toBe(true);
    expect(pages.flat()).toHaveLength(6);
  });

  it("refuses a cursor from another sort or other filters", async () => {
    const first = await t.admin.get("/users?sort=createdAt&limit=2").expect(200);
    const other = await t.admin.get(`/users?sort=familyName&limit=2&cursor=${first.body.nextCursor}`).expect(400);
    expect(other.body).toMatchObject({ field: "cursor", code: "invalid_value" });
    await t.admin.get(`/users?sort=createdAt&status=active&limit=2&cursor=${first.body.nextCursor}`).expect(400);
    await t.admin.get(`/users?sort=createdAt&limit=5&cursor=${first.body.nextCursor}`).expect(200);
  });

  it("refuses a hand-made cursor whose key is not of the sort's type (400, not a database error)", async () => {
    const first = await t.admin.get("/users?sort=createdAt&limit=2").expect(200);
    const body = JSON.parse(Buffer.from(first.body.nextCursor, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...body, k: "yesterday" })).toString("base64url");
    expect((await t.admin.get(`/users?sort=createdAt&limit=2&cursor=${forged}`).expect(400)).body.field).toBe("cursor");
  });
});

describe("GET /admin/v1/users: pages under concurrent inserts", () => {
  it("neither repeats nor loses a user present from the start while others are created between and during page reads", async () => {
    const before = new Set(seeded);
    let n = 0;
    const inFlight: Promise<unknown>[] = [];
    const insert = (name: string) => seedPerson(t.ds, { userName: name, familyName: "Inserted" });
    const pages = await allPages("sort=userName", 3, async (page) => {
      // One name sorts before every page read so far, one after; and more land while the next page is read.
      await insert(`aaa-${page}-${n++}@page.test`);
      await insert(`zzz-${page}-${n++}@page.test`);
      inFlight.push(insert(`user${String(page).padStart(2, "0")}x-${n++}@page.test`));
    });
    await Promise.all(inFlight);
    const seen = pages.flat().map((i) => i.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);
    const keys = pages.flat().map((i) => i.userName.toLowerCase());
    const sorted = await t.ds.query("SELECT k FROM unnest($1::text[]) WITH ORDINALITY AS x(k, i) ORDER BY k, i", [
      keys,
    ]);
    expect(sorted.map((r: { k: string }) => r.k)).toEqual(keys);
    // Users created ahead of the cursor are found, those behind it are not (that is what a keyset cursor promises).
    expect(pages.flat().some((i) => i.userName.startsWith("zzz-"))).toBe(true);
    expect(pages.flat().some((i) => i.userName.startsWith("aaa-"))).toBe(false);
  });
});
