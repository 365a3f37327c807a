import type { Ctx } from "../../src/domain/context";
import type { Statement } from "../../src/domain/effects";
import { EntitiesRepository } from "../../src/domain/entities/entities.repository";
import { type UserSearchQuery, UsersSearch } from "../../src/domain/users/users.search";
import { startTestApp, type TestApp } from "../support/app";

const N = 20_000;
let t: TestApp;
const ctx: Ctx = { actor: { type: "system", id: null, name: "test" }, door: "admin", requestId: null };

beforeAll(async () => {
  t = await startTestApp();
  // 1 in 1000 is a Dupont (the other names are hex, which holds no "dupont" trigram); 1 in 200 has an invitation pending.
  await t.ds.query(`
    INSERT INTO users (user_name, given_name, family_name, emails, source, invited_at, enrolled_at, last_login_at)
    SELECT 'user' || g || '@plan.test', 'Given' || (g % 97), CASE WHEN g % 1000 = 0 THEN 'Dupônt' ELSE 'Fam' || md5(g::text) END,
           jsonb_build_array(jsonb_build_object('value', 'user' || g || '@plan.test')), 'scim',
           CASE WHEN g % 200 = 1 THEN now() END, CASE WHEN g % 200 = 1 THEN NULL ELSE now() END,
           CASE WHEN g % 3 = 0 THEN now() - g * interval '1 minute' END
    FROM generate_series(1, ${N}) g`);
  await t.ds.query("VACUUM ANALYZE users");
}, 120_000);
afterAll(async () => t.close());

const query = (q: Partial<UserSearchQuery>): UserSearchQuery => ({
  filter: {},
  sort: "userName",
  descending: false,
  limit: 50,
  ...q,
});

/** The plan PostgreSQL picks for one of the search's own statements, with its values (as the search runs it: unnamed). */
async function explain(stmt: Statement): Promise<string> {
  const rows = await t.ds.query(`EXPLAIN ${stmt.text}`, stmt.values);
  return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
}
const statements = (q: UserSearchQuery) => t.services.search.statements(ctx, q);
const candidatesPlan = async (q: UserSearchQuery) => explain((await statements(q)).candidates!);
const pagePlan = async (q: UserSearchQuery) => explain((await statements(q)).page);
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe(`query plans of the admin search (${N.toLocaleString("en")} users)`, () => {
  it("a text query finds its candidates through the trigram index over the folded search text, whatever the sort", async () => {
    for (const sort of ["userName", "familyName", "createdAt", "lastLoginAt"] as const) {
      const p = await candidatesPlan(query({ filter: { q: "DUPÔNT" }, sort }));
      expect(p).toMatch(/Bitmap Index Scan on users_search_text_trgm_idx/);
      expect(p).not.toMatch(/Seq Scan on users/);
    }
  });

  it("a rare status uses the facets index", async () => {
    expect(await pagePlan(query({ filter: { status: ["invited"] } }))).toMatch(
      /(Bitmap Index Scan on|Index Scan using) users_search_facets_idx/,
    );
    expect(await pagePlan(query({ filter: { status: ["invited"], source: ["scim"] }, sort: "familyName" }))).toMatch(
      /users_search_facets_idx/,
    );
  });

  it("a rare status finds its candidates through the facets index, whatever the sort", async () => {
    for (const sort of ["userName", "familyName", "createdAt", "lastLoginAt"] as const) {
      const p = await candidatesPlan(query({ filter: { status: ["invited"] }, sort }));
      expect(p).toMatch(/(Bitmap Index Scan on|Index Scan using) users_search_facets_idx/);
      expect(p).not.toMatch(/Seq Scan on users/);
    }
  });

  it("a status query matching more users than its cap is answered by the other plan, with the same pages", async () => {
    const small = new UsersSearch(t.ds, new EntitiesRepository(), 7, 3);
    const pages = async (s: UsersSearch) => {
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.search(
          ctx,
          query({ filter: { status: ["invited"] }, sort: "familyName", limit: 50, cursor }),
        );
        all.push(...ids(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return all;
    };
    const capped = await pages(small);
    expect(capped.length).toBeGreaterThan(3);
    expect(capped).toEqual(await pages(t.services.search));
  });

  it("text and status together use an index, not a scan of the table", async () => {
    const p = await candidatesPlan(query({ filter: { q: "dupont", status: ["active"], enrolled: true } }));
    expect(p).toMatch(/users_search_text_trgm_idx|users_search_facets_idx/);
    expect(p).not.toMatch(/Seq Scan/);
  });

  it("a text query matching more users than the cap is answered by the other plan, with the same pages", async () => {
    const small = new UsersSearch(t.ds, new EntitiesRepository(), 7);
    for (const sort of ["familyName", "createdAt"] as const) {
      const pages = async (s: UsersSearch) => {
        const all: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await s.search(ctx, query({ filter: { q: "dupont" }, sort, limit: 6, cursor }));
          all.push(...ids(page.items));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return all;
      };
      const capped = await pages(small);
      expect(capped).toHaveLength(N / 1000);
      expect(capped).toEqual(await pages(t.services.search));
    }
  });

  it("a next page starts in the sort index at the cursor (keyset), for each sort", async () => {
    for (const [sort, index] of [
      ["familyName", "users_search_family_name_idx"],
      ["lastLoginAt", "users_search_last_login_idx"],
      ["createdAt", "users_live_created_at_id_idx"],
      ["userName", "users_user_name_lower_key"],
    ] as const) {
      for (const descending of [false, true]) {
        const first = await t.services.search.search(ctx, query({ sort, descending, limit: 10 }));
        const p = await pagePlan(query({ sort, descending, limit: 10, cursor: first.nextCursor! }));
        expect(p).toMatch(new RegExp(`Index Scan (Backward )?using ${index}`));
        expect(p).toMatch(/Index Cond/);
      }
    }
  });

  it("finds what the plans promise", async () => {
    expect((await t.services.search.search(ctx, query({ filter: { q: "dupont" }, limit: 200 }))).items).toHaveLength(
      N / 1000,
    );
    expect(
      (await t.services.search.search(ctx, query({ filter: { status: ["invited"] }, limit: 200 }))).items,
    ).toHaveLength(N / 200);
  });
});

describe("no enrolment possible (contact=false) at scale", () => {
  beforeAll(async () => {
    // 20 people nothing can reach: no email, a userName that is no address, no phone.
    await t.ds.query(`INSERT INTO users (user_name, emails, source)
                      SELECT 'nocontact' || g, '[]'::jsonb, 'scim' FROM generate_series(1, 20) g`);
    await t.ds.query("ANALYZE users");
  });

  it("finds them through the contact index, not a walk of every user, and counts them without reading the rest", async () => {
    const q = query({ filter: { enrolled: false, contact: false } });
    const { candidates, page } = await statements(q);
    const plan = await explain(candidates ?? page);
    expect(plan).toMatch(/users_contact_idx/);
    expect(plan).not.toMatch(/Seq Scan on users/);
    const found = await t.services.search.search(ctx, q);
    expect(found.items).toHaveLength(20);
    expect(found.items.every((u) => u.userName.startsWith("nocontact"))).toBe(true);
    expect(await t.services.search.countUpTo(ctx, q.filter, 10_000)).toEqual({ count: 20, exact: true, estimate: 20 });
  });
});
