import type { Server } from "node:http";
import request from "supertest";
import { entity, person, personBody } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";

/**
 * Issue 11: a generated corpus of malformed requests across the three doors. Every request carries at least one
 * mutation that must make it refused (lone surrogate, NUL, nesting past JSON_MAX_DEPTH, truncated JSON, broken path
 * encoding, too many PATCH operations, paging beyond a safe integer), often on top of others (wrong types, huge
 * numbers and arrays, unknown fields, odd content types). No answer may be a 5xx, and the store must not change.
 * FUZZ_SEED=<n> replays a run; FUZZ_REQUESTS=<n> sizes it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);

/** mulberry32: small, seeded, so a failure replays exactly. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = unknown;
type Door = "scim" | "admin" | "auth";
interface Shape {
  door: Door;
  method: "get" | "post" | "put" | "patch";
  path: string;
  /** A valid body the mutations start from; none for GETs. */
  body?: () => Json;
  /** A valid query string the mutations start from (GETs). */
  query?: Record<string, string>;
  patch?: boolean;
}
interface Fuzzed {
  door: Door;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  mutations: string[];
}

let t: TestApp;
let server: Server;
let adminToken: string;
let ids: { user: string; group: string; person: string; entity: string };

beforeAll(async () => {
  t = await startTestApp({
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    AUTH_ACCOUNT_FAILURES_PER_15_MINUTES: "100000",
    SCIM_PATCH_MAX_OPERATIONS: "200",
  });
  adminToken = await t.token("admin");
  const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id;
  const group = (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName() }).expect(201))
    .body.id;
  ids = { user, group, person: (await person(t)).id, entity: await entity(t, `Fuzz ${Date.now()}`) };
  server = t.app.listen(0);
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t.close();
});

const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const shapes = (): Shape[] => [
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/Users",
    body: () =>
      buildScimUser({ name: { givenName: "Ann", familyName: "Lee" }, emails: [{ value: "a@b.test", type: "work" }] }),
  },
  { door: "scim", method: "put", path: `/scim/v2/Users/${ids.user}`, body: () => buildScimUser({ title: "Engineer" }) },
  {
    door: "scim",
    method: "patch",
    path: `/scim/v2/Users/${ids.user}`,
    patch: true,
    body: () => patchOp({ op: "replace", path: "title", value: "Lead" }, { op: "add", value: { displayName: "Ann" } }),
  },
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/Groups",
    body: () => ({ schemas: [GROUP_SCHEMA], displayName: "Team", members: [{ value: ids.user }] }),
  },
  {
    door: "scim",
    method: "patch",
    path: `/scim/v2/Groups/${ids.group}`,
    patch: true,
    body: () =>
      patchOp(
        { op: "add", path: "members", value: [{ value: ids.user }] },
        { op: "replace", path: "displayName", value: "Ops" },
      ),
  },
  // One operation per request: a bulk answers each operation on its own, so a second, untouched one would run.
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/Bulk",
    body: () => ({
      schemas: [BULK],
      Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: buildScimUser() }],
    }),
  },
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/Bulk",
    patch: true,
    body: () => ({
      schemas: [BULK],
      Operations: [
        { method: "PATCH", path: `/Users/${ids.user}`, data: patchOp({ op: "replace", path: "title", value: "X" }) },
      ],
    }),
  },
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/.search",
    body: () => ({ schemas: [SEARCH], filter: 'userName sw "a"', startIndex: 1, count: 10 }),
  },
  {
    door: "scim",
    method: "post",
    path: "/scim/v2/Users/.search",
    body: () => ({ schemas: [SEARCH], filter: 'title eq "x"', sortBy: "userName" }),
  },
  {
    door: "scim",
    method: "get",
    path: "/scim/v2/Users",
    query: { filter: 'userName eq "a"', startIndex: "1", count: "5" },
  },
  { door: "scim", method: "get", path: "/scim/v2/Groups", query: { filter: 'displayName co "T"', startIndex: "2" } },
  { door: "scim", method: "get", path: `/scim/v2/Users/${ids.user}`, query: { attributes: "userName" } },
  { door: "admin", method: "post", path: "/admin/v1/users", body: () => personBody() },
  {
    door: "admin",
    method: "patch",
    path: `/admin/v1/users/${ids.person}`,
    body: () => ({ familyName: "Leeson", givenName: "Anna" }),
  },
  { door: "admin", method: "post", path: "/admin/v1/entities", body: () => ({ name: "Dept", parentId: ids.entity }) },
  { door: "admin", method: "patch", path: `/admin/v1/entities/${ids.entity}`, body: () => ({ name: "Renamed" }) },
  { door: "admin", method: "post", path: `/admin/v1/groups/${ids.group}/members`, body: () => ({ ids: [ids.person] }) },
  {
    door: "admin",
    method: "post",
    path: "/admin/v1/users/actions",
    body: () => ({ action: "disable", ids: [ids.person] }),
  },
  { door: "admin", method: "get", path: "/admin/v1/users", query: { q: "ann", limit: "10", sort: "userName" } },
  { door: "admin", method: "get", path: "/admin/v1/groups", query: { q: "t", limit: "5" } },
  { door: "admin", method: "get", path: "/admin/v1/audit", query: { limit: "5" } },
  { door: "admin", method: "get", path: `/admin/v1/users/${ids.person}` },
  {
    door: "auth",
    method: "post",
    path: "/auth/login",
    body: () => ({ login: "ann.lee", password: "correct-horse-battery" }),
  },
  {
    door: "auth",
    method: "post",
    path: "/auth/password",
    body: () => ({ login: "ann.lee", currentPassword: "a-b-c-d-e-f", newPassword: "g-h-i-j-k-l-m" }),
  },
  {
    door: "auth",
    method: "post",
    path: "/auth/invitations/not-a-real-token",
    body: () => ({ password: "violet-harbour-41-tram" }),
  },
  { door: "auth", method: "get", path: "/auth/invitations/not-a-real-token" },
];

const LONE = ["\ud800", "\udfff", "a\udbff", "\udc00b"];
const BAD_PATH = ["%FF", "%E2%82", "%ED%A0%80", "%C0%AF", "%", "%0", "%zz", "%00"];
// Numbers at and past the edges of what a double holds are the point here (huge, tiny, -0).
// biome-ignore lint/correctness/noPrecisionLoss: deliberately beyond double precision (fuzz values)
const HUGE = [99999999999999999999, 1e308, -1e308, 9007199254740993, -0, 1e-320];
const ODD_TYPES = [
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16le",
  "application/x-www-form-urlencoded",
  "",
];

/** Every string leaf and key of `v`, as setters: the mutations pick one. */
function slots(v: Json, out: ((x: Json) => void)[] = [], set?: (x: Json) => void): ((x: Json) => void)[] {
  if (set) out.push(set);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      slots(x, out, (y) => {
        v[i] = y;
      });
    }
  } else if (v && typeof v === "object") {
    const o = v as Record<string, Json>;
    for (const k of Object.keys(o)) slots(o[k], out, (y) => (o[k] = y));
  }
  return out;
}

function generate(r: () => number, shape: Shape): Fuzzed {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const mutations: string[] = [];
  let path = shape.path;
  if (!shape.body) {
    // GETs: a broken path, or a query that must be refused; extra junk on top.
    const q: Record<string, string> = { ...(shape.query ?? {}) };
    const fatal = pick(["path", "nul", "lone-escape", "paging"] as const);
    mutations.push(`get:${fatal}`);
    if (fatal === "path") path = `${path.replace(/\/[^/]*$/, "")}/${pick(BAD_PATH)}`;
    if (fatal === "nul") q[pick([...Object.keys(q), "x"])] = `a\u0000${"b".repeat(Math.floor(r() * 5))}`;
    if (fatal === "lone-escape") q.filter = `userName eq "\\ud${pick(["800", "bff", "c00", "fff"])}"`;
    if (fatal === "paging")
      q[pick(["startIndex", "count", "limit"])] = pick([
        "99999999999999999999",
        "1e400",
        "-99999999999999999999",
        String(2 ** 60),
      ]);
    const qs = Object.entries(q)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&");
    return { door: shape.door, method: "GET", path: qs ? `${path}?${qs}` : path, mutations };
  }

  const body = shape.body() as Record<string, Json>;
  // Extra mutations first (0-3): they never make a request acceptable on their own, they vary what the parser sees.
  for (let n = Math.floor(r() * 4); n > 0; n--) {
    const all = slots(body);
    const slot = pick(all);
    const extra = pick(["wrong-type", "huge-number", "unknown-field", "huge-array"] as const);
    mutations.push(extra);
    if (extra === "wrong-type") slot(pick([0, true, null, [], {}, "", [1, "x"], { value: null }]));
    if (extra === "huge-number") slot(pick(HUGE));
    if (extra === "unknown-field") body[`x${Math.floor(r() * 1000)}`] = pick(["v", 1, { a: [] }]);
    if (extra === "huge-array")
      slot(Array.from({ length: 500 + Math.floor(r() * 1000) }, (_, i) => (r() < 0.5 ? i : `s${i}`)));
  }
  const fatal = pick(["lone", "lone-key", "nul", "deep", "truncate", "path", ...(shape.patch ? ["ops"] : [])] as const);
  mutations.push(fatal);
  let text: string | undefined;
  if (fatal === "lone" || fatal === "nul") {
    const strings = slots(body);
    pick(strings)(fatal === "lone" ? `x${pick(LONE)}y` : `a\u0000b`);
  }
  if (fatal === "lone-key") body[`k${pick(LONE)}`] = "v";
  // Deep values are spliced into the text: JSON.stringify itself would overflow the stack on them.
  let deep = "";
  if (fatal === "deep") {
    const depth = pick([33, 64, 200, 3000, 6000]);
    deep = r() < 0.5 ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    pick(slots(body))("__deep__");
  }
  if (fatal === "path") path = `${path.replace(/\/[^/]*$/, "")}/${pick(BAD_PATH)}`;
  if (fatal === "ops" && shape.path.endsWith("/Bulk")) {
    if (!(Array.isArray(body.Operations) && body.Operations[0] && typeof body.Operations[0] === "object"))
      body.Operations = [{ method: "PATCH", path: `/Users/${ids.user}` }];
    const ops = body.Operations as Json[];
    (ops[0] as Record<string, Json>).data = patchOp(
      ...Array.from({ length: 201 }, () => ({ op: "add", path: "title", value: "x" })),
    );
  } else if (fatal === "ops")
    body.Operations = Array.from({ length: 201 + Math.floor(r() * 300) }, () => ({
      op: "add",
      path: "title",
      value: "x",
    }));
  text = JSON.stringify(body).replace('"__deep__"', deep);
  if (fatal === "truncate") text = text.slice(0, 1 + Math.floor(r() * (text.length - 2)));
  // A raw NUL byte or junk outside any string breaks the JSON too, whichever mutation came first.
  if (r() < 0.1) {
    mutations.push("raw-junk");
    const at = Math.floor(r() * text.length);
    text = `${text.slice(0, at)}${pick(["\u0000", "\u0001", "\ufeff", "]", "}"])}${text.slice(at)}`;
  }
  let contentType = shape.door === "scim" ? pick(["application/scim+json", "application/json"]) : "application/json";
  let payload: string | Buffer = text;
  if (r() < 0.15) {
    contentType = pick(ODD_TYPES);
    mutations.push(`content-type:${contentType}`);
    if (contentType.includes("utf-16le")) payload = Buffer.from(text, "utf16le");
  }
  return { door: shape.door, method: shape.method.toUpperCase(), path, contentType, body: payload, mutations };
}

function send(f: Fuzzed): request.Test {
  const agent = request(server)[f.method.toLowerCase() as "get"](f.path);
  if (f.door === "scim") agent.set("Authorization", `Bearer ${t.scimToken}`);
  if (f.door === "admin") agent.set("Authorization", `Bearer ${adminToken}`);
  if (f.body !== undefined) agent.set("Content-Type", f.contentType ?? "application/json").send(f.body);
  return agent;
}

/** The store as rows: md5 of every row of the tables a write touches; the audit log by count and last id (sealing updates rows). */
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [
    "users",
    "groups",
    "group_members",
    "entities",
    "invitations",
    "outbox",
    "events",
    "admin_jobs",
    "admin_job_items",
    "settings",
  ]) {
    const [row] = await t.ds.query(
      `SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS f FROM ${table} x`,
    );
    out[table] = row.f;
  }
  const [audit] = await t.ds.query(
    "SELECT count(*)::text || ':' || coalesce(max(id)::text, '') AS f FROM audit_events",
  );
  const [tokens] = await t.ds.query("SELECT count(*)::text AS f FROM api_tokens");
  return { ...out, audit_events: audit.f, api_tokens: tokens.f };
}

const describeRequest = (f: Fuzzed) => {
  const body = f.body === undefined ? "" : typeof f.body === "string" ? f.body : f.body.toString("utf16le");
  return `${f.method} ${f.path} [${f.contentType ?? "-"}] mutations=${f.mutations.join(",")} body=${JSON.stringify(body.length > 400 ? `${body.slice(0, 400)}…(${body.length})` : body)}`;
};

it(`a generated corpus of ${REQUESTS} malformed requests across the doors: no 5xx, all refused, the store unchanged (seed ${SEED})`, async () => {
  const generating = Date.now();
  const r = rng(SEED);
  const all = shapes();
  const corpus = Array.from({ length: REQUESTS }, () => generate(r, all[Math.floor(r() * all.length)]));
  const before = await fingerprint();
  process.stdout.write(`fuzz-doors: corpus generated in ${Date.now() - generating} ms\n`);
  const statuses = new Map<number, number>();
  const started = Date.now();
  // Four at a time: every request is refused, so their order does not matter; the corpus index names a failure.
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < corpus.length; i = next++) await check(i, corpus[i]);
  };
  const check = async (i: number, f: Fuzzed) => {
    const res = await send(f);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const bulkStatuses: string[] =
      f.path.startsWith("/scim/v2/Bulk") && res.status === 200
        ? res.body.Operations.map((o: { status: string }) => o.status)
        : [];
    // A GET may answer 200 (a search that finds nothing); everything else must be refused, a bulk operation by operation.
    const refused =
      f.method === "GET"
        ? res.status < 500
        : (res.status >= 400 && res.status < 500) || (res.status === 200 && bulkStatuses.length > 0);
    if (!refused || bulkStatuses.some((s) => !/^4\d\d$/.test(s))) {
      throw new Error(
        `FUZZ_SEED=${SEED} request #${i} answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)} ${bulkStatuses.join(",")}\n${describeRequest(f)}`,
      );
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  process.stdout.write(
    `fuzz-doors: ${REQUESTS} requests in ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
  );
  expect(await fingerprint()).toEqual(before);
  // The corpus reached the parsers and the routes, not just one early refusal.
  expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 415]));
}, 120_000);
