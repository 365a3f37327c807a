import { Pool } from "pg";
import { adminSearchLoads, seedAdminSearch } from "./admin-search";
import type { Roster } from "./server";
import { type Load, type Measurement, percentile } from "./workloads";

const SCIM_JSON = "application/scim+json";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** The population every figure is compared against. */
export const BASE_USERS = 10_000;
/** Groups whose memberships are seeded with the users: one user in `every` (by a hash of the id) belongs to each. */
const GROUPS = [
  { name: "large", every: 2 },
  { name: "tenth", every: 10 },
  { name: "hundredth", every: 100 },
];
const GROUP_ROUNDS = 30;
const TARGET = 1.25;

export interface Step {
  users: number;
  seedSeconds: number;
  dbBytes: number;
  usersBytes: number;
  rows: Measurement[];
}

interface Options {
  roster: Roster;
  runId: string;
  target: number;
  http: (load: Load) => Promise<Measurement>;
  say: (line?: string) => void;
}

/**
 * `npm run bench -- --users N`: seeds 10,000 users through the database, measures, grows the population to N and
 * measures the same workloads again, so each figure at N stands beside its own figure at 10,000 from the same run.
 */
export async function scalePart(o: Options): Promise<Step[]> {
  const pool = new Pool({ connectionString: o.roster.dbUrl, max: 1, application_name: "roster-bench-scale" });
  try {
    const groups: string[] = [];
    for (const g of GROUPS) groups.push(await createGroup(o.roster, `Bench ${g.name} ${o.runId}`));
    const steps: Step[] = [];
    let have = 0;
    for (const users of o.target > BASE_USERS ? [BASE_USERS, o.target] : [o.target]) {
      const t0 = performance.now();
      const tag = `${o.runId}s${steps.length}`;
      await seedAdminSearch(pool, users - have, tag);
      for (const [k, g] of GROUPS.entries()) {
        await pool.query(
          `INSERT INTO group_members (group_id, user_id) SELECT $1, id FROM users
            WHERE user_name LIKE $2 AND abs(hashtext(id::text)) % $3 = 0`,
          [groups[k], `%.${tag}@corp.example`, g.every],
        );
      }
      await pool.query("VACUUM ANALYZE group_members");
      // The seed's dirty pages written out now, as part of the set-up: otherwise the checkpoint that follows a bulk load
      // (1.5 GB at a million users) runs during the first workloads measured and is charged to them.
      await pool
        .query("CHECKPOINT")
        .catch((e) => o.say(`CHECKPOINT refused (${(e as Error).message}): measuring anyway`));
      const seedSeconds = (performance.now() - t0) / 1000;
      have = users;
      const { rows } = await pool.query<{ db: string; users: string }>(
        "SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('users') AS users",
      );
      o.say(
        `${users} users: seeded ${(users - (steps.at(-1)?.users ?? 0)).toLocaleString("en")} more in ${seedSeconds.toFixed(1)} s (one INSERT … SELECT over generate_series, memberships of ${GROUPS.length} groups, VACUUM ANALYZE, CHECKPOINT); database ${mb(Number(rows[0].db))}, users table with its indexes ${mb(Number(rows[0].users))}`,
      );
      o.say("measuring:");
      const measured = await measureAll(o, pool, users, groups[0]);
      steps.push({
        users,
        seedSeconds,
        dbBytes: Number(rows[0].db),
        usersBytes: Number(rows[0].users),
        rows: measured,
      });
    }
    return steps;
  } finally {
    await pool.end();
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function createGroup(r: Roster, displayName: string): Promise<string> {
  const res = await fetch(`${r.baseUrl}/scim/v2/Groups`, {
    method: "POST",
    headers: { authorization: `Bearer ${r.token}`, "content-type": SCIM_JSON },
    body: JSON.stringify({ schemas: [GROUP_SCHEMA], displayName, members: [] }),
  });
  if (res.status !== 201) throw new Error(`POST /Groups answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function measureAll(o: Options, pool: Pool, n: number, large: string): Promise<Measurement[]> {
  const { baseUrl, token } = o.roster;
  const auth = { authorization: `Bearer ${token}` };
  const url = `${baseUrl}/scim/v2/Users`;
  const sample = (
    await pool.query<{ id: string; user_name: string }>(
      "SELECT id, user_name FROM users WHERE removed_at IS NULL ORDER BY random() LIMIT 2000",
    )
  ).rows;
  const rotating = (name: string, path: (k: number, ctx: Ctx) => string, check: (b: string, ctx: Ctx) => boolean) => {
    let k = 0;
    return {
      name,
      url,
      verifyBody: check,
      requests: [
        {
          method: "GET" as const,
          headers: auth,
          setupRequest: (req: object, ctx: Ctx) => ({ ...req, path: path(k++, ctx) }),
        },
      ],
    } as Load;
  };
  const byName = rotating(
    "GET /Users?filter=userName eq",
    (k, ctx) => {
      ctx.expect = sample[k % sample.length].user_name;
      return `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${ctx.expect}"`)}`;
    },
    (b, ctx) => b.includes('"totalResults":1,') && b.includes(`"userName":"${ctx.expect}"`),
  );
  const byId = rotating(
    "GET /Users/{id}",
    (k, ctx) => {
      ctx.expect = sample[k % sample.length].id;
      return `/scim/v2/Users/${ctx.expect}`;
    },
    (b, ctx) => b.includes(`"id":"${ctx.expect}"`),
  );
  const full = (b: string) => /"itemsPerPage":50\b/.test(b);
  const filtered = rotating(
    "GET /Users?filter=active eq false&count=50",
    () => `/scim/v2/Users?filter=${encodeURIComponent("active eq false")}&count=50`,
    (b) => full(b) && !b.includes('"active":true'),
  );
  const deepStart = Math.floor(n * 0.9);
  const indexDeep = rotating(
    `GET /Users?startIndex=0.9N&count=50`,
    () => `/scim/v2/Users?startIndex=${deepStart}&count=50`,
    full,
  );
  const cursors = await deepCursors(o.roster, pool, n);
  const cursorDeep = rotating(
    "GET /Users?cursor=(0.85N..0.9N, 10 pages on)",
    (k, ctx) => {
      // Each connection follows nextCursor for 10 pages, then starts again from another deep row.
      const next = ctx.pages !== undefined && (ctx.pages as number) < 10 ? (ctx.next as string | undefined) : undefined;
      ctx.pages = next ? (ctx.pages as number) + 1 : 1;
      return `/scim/v2/Users?count=50&cursor=${encodeURIComponent(next ?? cursors[k % cursors.length])}`;
    },
    (b, ctx) => {
      ctx.next = /"nextCursor":"([^"]+)"/.exec(b)?.[1];
      return full(b) && ctx.next !== undefined;
    },
  );
  const rows: Measurement[] = [];
  for (const load of [byName, byId, filtered, indexDeep, cursorDeep]) rows.push(await o.http(load));
  rows.push(await groupPatches(o, pool, large));
  for (const load of adminSearchLoads(baseUrl, o.roster.adminToken)) rows.push(await o.http(load));
  return rows;
}

type Ctx = Record<string, unknown>;

/**
 * Cursors at 64 rows spread over 0.85N..0.9N of the list's order (created_at, id). A client would reach them by
 * following nextCursor from the first page; the bench takes the API's own first-page cursor and moves its position.
 */
async function deepCursors(r: Roster, pool: Pool, n: number): Promise<string[]> {
  const res = await fetch(`${r.baseUrl}/scim/v2/Users?cursor=&count=50`, {
    headers: { authorization: `Bearer ${r.token}` },
  });
  const first = (await res.json()) as { nextCursor?: string };
  if (res.status !== 200 || !first.nextCursor)
    throw new Error(`GET /Users?cursor= answered ${res.status} without nextCursor`);
  const shape = JSON.parse(Buffer.from(first.nextCursor, "base64url").toString("utf8")) as Record<string, unknown>;
  const { rows } = await pool.query<{ id: string; t: string }>(
    `SELECT id, created_at::text AS t FROM (
       SELECT id, created_at, row_number() OVER (ORDER BY created_at, id) AS k FROM users WHERE removed_at IS NULL
     ) x WHERE k >= $1 AND k < $2 AND (k - $1) % $3 = 0 LIMIT 64`,
    [Math.floor(n * 0.85), Math.floor(n * 0.9), Math.max(1, Math.floor((n * 0.05) / 64))],
  );
  return rows.map((row) =>
    Buffer.from(JSON.stringify({ ...shape, t: row.t, i: row.id }), "utf8").toString("base64url"),
  );
}

/** PATCH the large group (half the users): add 100 who are not in it, then remove them; sequential, as Entra sends. */
async function groupPatches(o: Options, pool: Pool, group: string): Promise<Measurement> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM users u WHERE NOT EXISTS (SELECT FROM group_members m WHERE m.group_id = $1 AND m.user_id = u.id)
      ORDER BY random() LIMIT $2`,
    [group, 100 * GROUP_ROUNDS],
  );
  const headers = { authorization: `Bearer ${o.roster.token}`, "content-type": SCIM_JSON };
  const problems: string[] = [];
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < GROUP_ROUNDS; i++) {
    const value = rows.slice(i * 100, (i + 1) * 100).map((r) => ({ value: r.id }));
    for (const op of ["add", "remove"]) {
      const body = JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [{ op, path: "members", value }] });
      const s = performance.now();
      const res = await fetch(`${o.roster.baseUrl}/scim/v2/Groups/${group}`, { method: "PATCH", headers, body });
      const text = await res.text();
      if (i > 0) times.push(performance.now() - s); // the first round warms up
      if (res.status !== 204 && res.status !== 200 && problems.length < 5)
        problems.push(`${res.status} ${text.slice(0, 200)}`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const m: Measurement = {
    name: "PATCH /Groups/{large} members add/remove 100",
    rate: (2 * GROUP_ROUNDS) / seconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    ok: 2 * GROUP_ROUNDS - problems.length,
    seconds,
    failures: problems.length,
    problems,
  };
  o.say(`  ${m.name}: ${m.rate.toFixed(0)}/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms (one connection)`);
  return m;
}

/** Each workload at N beside its figure at 10,000 users: the p50 ratio decides PASS or MISS against 1.25x. */
export function reportScale(steps: Step[], say: (line?: string) => void): void {
  const [base, big] = [steps[0], steps[steps.length - 1]];
  say();
  say(`scale: ${base.users.toLocaleString("en")} vs ${big.users.toLocaleString("en")} users, same run, same server`);
  const header = [
    "workload",
    `req/s @${base.users}`,
    `p50 ms @${base.users}`,
    `req/s @${big.users}`,
    `p50 ms @${big.users}`,
    "p50 ratio",
    "",
  ];
  const cells = base.rows.map((b, i) => {
    const m = big.rows[i];
    const ratio = m.p50 / b.p50;
    const verdict = steps.length < 2 ? "" : ratio <= TARGET ? "PASS" : "MISS";
    return [
      b.name,
      b.rate.toFixed(0),
      b.p50.toFixed(2),
      m.rate.toFixed(0),
      m.p50.toFixed(2),
      `${ratio.toFixed(2)}x`,
      verdict,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  say(line(header));
  say(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) say(line(c));
  say(`target: p50 at ${big.users} users <= ${TARGET}x its p50 at ${base.users} (8 connections; group PATCH on one)`);
  for (const s of steps)
    say(
      `  ${s.users} users: seed ${s.seedSeconds.toFixed(1)} s, database ${mb(s.dbBytes)}, users table + indexes ${mb(s.usersBytes)}`,
    );
}
