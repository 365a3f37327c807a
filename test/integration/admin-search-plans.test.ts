import type { Ctx } from "../../src/domain/context";
import type { Statement } from "../../src/domain/effects";
import { EntitiesRepository } from "../../src/domain/entities/entities.repository";
import { type UserSearchQuery, UsersSearch } from "../../src/domain/users/users.search";
import { plannedMatches } from "../../src/domain/users/users-search.choice";
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

  it("a frequent term walks the userName order in its covering index alone, and stops after a page", async () => {
    // "given1" is in 11 of the 97 given names (Given1, Given10..Given19): about 2,300 of the 20,000 users.
    const q = query({ filter: { q: "given1" } });
    const s = await statements(q);
    expect(s.candidates).toBeNull();
    const analyzed = (await t.ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.page.text}`, s.page.values))
      .map((r: Record<string, string>) => r["QUERY PLAN"])
      .join("\n");
    expect(analyzed).toMatch(/Index Only Scan using users_search_user_name_cover_idx/);
    expect(analyzed).not.toMatch(/Bitmap|Seq Scan|Sort/);
    // ~450 users passed over to find 51 matches, not the 2,300 matches nor the 20,000 users.
    const passed = Number(/Rows Removed by Filter: (\d+)/.exec(analyzed)?.[1]);
    expect(passed).toBeLessThan(2_000);
    const first = await t.services.search.search(ctx, q);
    const next = await pagePlan({ ...q, cursor: first.nextCursor ?? undefined });
    expect(next).toMatch(/Index Only Scan using users_search_user_name_cover_idx/);
    expect(next).toMatch(/Index Cond/);
  });

  it("PostgreSQL estimates a text term from 1,000 values of the search text, and a 1% term near its matches", async () => {
    // Over 100 values a term borne by 1% of the users matches one of them or none: estimated at 1% or at 0.01%.
    const [stats] = await t.ds.query(
      "SELECT cardinality(histogram_bounds::text::text[]) AS n FROM pg_stats WHERE tablename = 'users' AND attname = 'search_text'",
    );
    expect(stats.n).toBeGreaterThan(900);
    // "given42" is one given name of 97: about 206 users.
    const matches = Number(
      (await t.ds.query("SELECT count(*) FROM users WHERE search_text LIKE '%given42%'"))[0].count,
    );
    const planned = await plannedMatches(t.ds, await t.services.search.where(ctx, { q: "given42" }));
    expect(planned.live).toBeGreaterThan(N * 0.9);
    expect(planned.matches).toBeGreaterThan(matches / 2);
    expect(planned.matches).toBeLessThan(matches * 2);
  });

  it("a rare term is answered from its candidates, not by a walk", async () => {
    for (const sort of ["userName", "createdAt", "lastLoginAt"] as const)
      expect((await statements(query({ filter: { q: "dupont" }, sort }))).candidates).not.toBeNull();
  });

  it("a frequent term's pages walked are the pages from its candidates, for each sort and direction", async () => {
    const fromCandidates = new UsersSearch(t.ds, new EntitiesRepository(), undefined, undefined, false);
    for (const [sort, descending] of [
      ["userName", false],
      ["userName", true],
      ["createdAt", true],
      ["lastLoginAt", false],
      ["familyName", false],
    ] as const) {
      const pages = async (s: UsersSearch) => {
        const all: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await s.search(
            ctx,
            query({ filter: { q: "given1", status: ["active"] }, sort, descending, limit: 200, cursor }),
          );
          all.push(...ids(page.items));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return all;
      };
      const walked = await pages(t.services.search);
      expect(walked.length).toBeGreaterThan(2_000);
      expect(walked).toEqual(await pages(fromCandidates));
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
