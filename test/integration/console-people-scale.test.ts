import type { Server } from "node:http";
import { FILTER_CANDIDATES_CAP } from "../../src/domain/users/users-search.choice";
import { COUNT_CAP, PAGE_SIZE } from "../../src/http/console/people/people-list.page";
import type { TestApp } from "../support/app";
import { consolePerson, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";
import { type Sent, statementsDuring } from "../support/statements";

// GET /console/people on more people than the list ever counts, and more than the search ever gathers to sort (its
// candidates' cap): the statements the page sends, as PostgreSQL receives them, each run again under EXPLAIN ANALYZE.
const N = Math.max(COUNT_CAP, FILTER_CANDIDATES_CAP) + 5_000;
let t: TestApp;
let server: Server;
let admin: Browser;

beforeAll(async () => {
  let base: string;
  ({ t, base, server } = await startProviderApp());
  await t.ds.query(`
    INSERT INTO users (user_name, given_name, family_name, emails, source)
    SELECT 'scale' || g || '@scale.test', 'Given' || (g % 97), 'Fam' || md5(g::text),
           jsonb_build_array(jsonb_build_object('value', 'scale' || g || '@scale.test')), 'scim'
    FROM generate_series(1, ${N}) g`);
  await t.ds.query("VACUUM ANALYZE users");
  const me = await consolePerson(t.ds, "admin");
  ({ browser: admin } = await signInToConsole(base, "/console/people", me.userName));
}, 120_000);
afterAll(async () => {
  server.close();
  await t.close();
});

const overUsers = (s: Sent) => /\bFROM users\b/i.test(s.text);
const rowIds = (html: string) => [...html.matchAll(/href="\/console\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

/** The most rows any node of the statement's plan produced, run for real (EXPLAIN ANALYZE). */
async function mostRowsRead(s: Sent): Promise<number> {
  const [row] = await t.ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.text}`, s.values);
  const plan = (Array.isArray(row["QUERY PLAN"]) ? row["QUERY PLAN"] : JSON.parse(row["QUERY PLAN"]))[0].Plan;
  const walk = (n: { "Actual Rows": number; Plans?: unknown[] }): number =>
    Math.max(n["Actual Rows"], ...((n.Plans ?? []) as (typeof n)[]).map(walk));
  return walk(plan);
}

const unAmp = (h: string) => h.replace(/&amp;/g, "&");
const nextLink = (html: string) => unAmp(/<a href="([^"]+)" rel="next">/.exec(html)?.[1] ?? "");

describe(`GET /console/people over ${N.toLocaleString("en")} people`, () => {
  let firstPage = "";
  it.each([
    ["everyone", () => "/console/people"],
    ["everyone, the next page", () => nextLink(firstPage)],
    ["a status filter most people match", () => "/console/people?account=active&connection=never"],
  ])("%s: one page shown, the count stopped at its cap, no statement reading the whole table", async (_, at) => {
    const path = at();
    expect(path).toMatch(/^\/console\/people/);
    let html = "";
    const sent = await statementsDuring(async () => {
      const res = await admin.get(path);
      expect(res.status).toBe(200);
      html = await res.text();
    });
    if (!firstPage) firstPage = html;
    expect(rowIds(html)).toHaveLength(PAGE_SIZE);
    expect(/<p id="people-count">([^<]*)<\/p>/.exec(html)?.[1]).toMatch(
      /^More than 10,000 people match \(about [\d,]+\)$/,
    );

    // a fixed handful of statements whatever the table's size: the signed-in admin, the page, the capped count
    // (and planner estimates, which read nothing)
    const onUsers = sent.filter(overUsers).filter((s) => !/^\s*EXPLAIN/i.test(s.text));
    expect(onUsers.length).toBeGreaterThanOrEqual(3);
    expect(onUsers.length).toBeLessThanOrEqual(5);
    const counts = onUsers.filter((s) => /count\(\*\)/i.test(s.text));
    expect(counts).toHaveLength(1);
    // the count reads at most cap + 1 rows (its LIMIT), never the table
    expect(counts[0].values).toContain(COUNT_CAP + 1);
    expect(await mostRowsRead(counts[0])).toBeLessThanOrEqual(COUNT_CAP + 1);
    // every other statement reads about a page: the page walks the sort order's index and stops
    const read: { statement: string; rows: number }[] = [];
    for (const s of onUsers.filter((x) => x !== counts[0]))
      read.push({ statement: s.text, rows: await mostRowsRead(s) });
    expect(read.filter((r) => r.rows > PAGE_SIZE + 1)).toEqual([]);
  });
});
