import { compileFilter } from "../../src/http/scim/filter";
import { userAttributes } from "../../src/http/scim/user-attributes";
import { tallyFor } from "../../src/domain/users/user-list.tallies";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";

/**
 * The maintained tallies (decision 0135) answer /Users totals and place deep startIndex pages; these tests hold them
 * equal to counting and walking, through inserts, deactivations, removals, folds and concurrent writers.
 */
let t: TestApp;
const N = 3000;

/** The reference: what counting and walking the rows in the default order gives. */
async function reference(offset: number, limit: number, activeOnly?: boolean) {
  const cond = activeOnly === undefined ? "" : ` AND active = ${activeOnly}`;
  const ids = await t.ds.query(
    `SELECT id FROM users WHERE removed_at IS NULL${cond} ORDER BY created_at, id OFFSET $1 LIMIT $2`,
    [offset, limit],
  );
  const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM users WHERE removed_at IS NULL${cond}`);
  return { ids: ids.map((r: { id: string }) => r.id), total: n };
}

async function page(startIndex: number, count: number, filter?: string) {
  const f = filter ? `&filter=${encodeURIComponent(filter)}` : "";
  const res = await t.scim.get(`/Users?startIndex=${startIndex}&count=${count}${f}`).expect(200);
  return { ids: res.body.Resources.map((r: { id: string }) => r.id), total: res.body.totalResults };
}

beforeAll(async () => {
  t = await startTestApp();
  // Spread over days, hours and minutes, with crowds inside single minutes and seconds, some inactive, some removed.
  await t.ds.query(`
    INSERT INTO users (user_name, source, emails, active, created_at, removed_at)
    SELECT 'tally' || g || '@corp.test', 'scim', '[]'::jsonb, g % 7 <> 0,
           timestamptz '2026-01-01T00:00:00Z' + CASE
             WHEN g % 3 = 0 THEN (g / 3) * interval '1 hour' + (g % 60) * interval '1 second'
             WHEN g % 3 = 1 THEN interval '40 days' + (g % 5) * interval '1 millisecond'
             ELSE interval '41 days' + (g % 180) * interval '1 minute' END,
           CASE WHEN g % 11 = 0 THEN now() END
    FROM generate_series(1, ${N}) g`);
});
afterAll(() => t.close());

it("the SCIM filter `active eq true|false` compiles to the text the tallies recognise", () => {
  expect(tallyFor(compileFilter("active eq false", userAttributes))).toEqual({ level: 1, bucket: 0 });
  expect(tallyFor(compileFilter("active eq true", userAttributes))).toEqual({ level: 1, bucket: 1 });
  expect(tallyFor(compileFilter("active ne false", userAttributes))).toBeNull();
  expect(tallyFor(undefined)).toEqual({ level: 0, bucket: 0 });
});

it("totals equal counting, for the whole list and by active, before and after a fold", async () => {
  for (const fold of [false, true]) {
    if (fold) await t.services.users.foldListTallies();
    expect((await page(1, 1)).total).toBe((await reference(0, 1)).total);
    expect((await page(1, 1, "active eq false")).total).toBe((await reference(0, 1, false)).total);
    expect((await page(1, 1, "active eq true")).total).toBe((await reference(0, 1, true)).total);
  }
  const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM user_tallies WHERE NOT folded");
  expect(n).toBe(0);
});

it("a deep startIndex page is the page that walking gives, at every depth", async () => {
  const { total } = await reference(0, 1);
  for (const offset of [2000, 2001, 2047, 2300, 2444, total - 25, total - 1, total, total + 5]) {
    const want = await reference(offset, 25);
    const got = await page(offset + 1, 25);
    expect({ offset, ids: got.ids, total: got.total }).toEqual({ offset, ids: want.ids, total: want.total });
  }
});

it("stays exact through SCIM creates, deactivations and deletes from concurrent writers, folded or not", async () => {
  const created: string[] = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const res = await t.scim.post("/Users", buildScimUser({ userName: `late${i}@corp.test` })).expect(201);
      return res.body.id as string;
    }),
  );
  const fold = t.services.users.foldListTallies();
  await Promise.all([
    ...created.slice(0, 8).map((id) =>
      t.scim
        .patch(`/Users/${id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", value: { active: false } }],
        })
        .expect(200),
    ),
    ...created.slice(8, 14).map((id) => t.scim.delete(`/Users/${id}`).expect(204)),
    fold,
  ]);
  for (const filter of [undefined, "active eq false", "active eq true"]) {
    const active = filter === undefined ? undefined : filter.endsWith("true");
    expect((await page(1, 1, filter)).total).toBe((await reference(0, 1, active)).total);
  }
  const { total } = await reference(0, 1);
  expect(await page(total - 29, 40)).toEqual(await reference(total - 30, 40));
  await t.services.users.foldListTallies();
  expect(await page(total - 29, 40)).toEqual(await reference(total - 30, 40));
});

it("an emptied table empties the tallies", async () => {
  await t.ds.query("DELETE FROM users WHERE user_name LIKE 'tally1%'");
  expect((await page(1, 1)).total).toBe((await reference(0, 1)).total);
});
