import autocannon from "autocannon";
import type { Seeded } from "./seed";

export const CONNECTIONS = 8;

export interface Measurement {
  name: string;
  /** Successful operations per second. */
  rate: number;
  /** Milliseconds, from per-request float timings (autocannon's own histogram rounds to whole ms). */
  p50: number;
  p99: number;
  ok: number;
  seconds: number;
  /** Non-2xx responses, connection errors, timeouts and bodies that failed the check. */
  failures: number;
  problems: string[];
}

export interface Load {
  name: string;
  url: string;
  requests: autocannon.Request[];
  /** A cheap check of each 2xx body; `context` is what this connection's setupRequest stored for the request. */
  verifyBody?: (body: string, context: Context) => boolean;
}

/** autocannon keeps one context per connection, from setupRequest to the response (8 connections, no pipelining). */
type Context = Record<string, unknown>;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One autocannon run of `seconds` at 8 connections, from this process (so it shares the 2 cores with the server). */
export function cannon(load: Load, seconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  // Distinct problems (at most 5) with how often each was seen.
  const seen = new Map<string, number>();
  const note = (p: string) => {
    if (seen.has(p) || seen.size < 5) seen.set(p, (seen.get(p) ?? 0) + 1);
  };
  let mismatches = 0;
  const requests = load.requests.map((r) => ({
    ...r,
    onResponse: (status: number, body: string, context: object) => {
      if (status < 200 || status > 299) note(`${status} ${String(body).slice(0, 300)}`);
      else if (load.verifyBody && !load.verifyBody(String(body), context as Context)) {
        mismatches++;
        note(`unexpected ${status} body: ${String(body).slice(0, 300)}`);
      }
    },
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: load.url, connections: CONNECTIONS, duration: seconds, requests },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        const ok = result["2xx"] - mismatches;
        // autocannon counts timeouts among errors too.
        const failures = result.non2xx + result.errors + mismatches;
        if (result.errors > 0) note(`${result.errors} connection errors (${result.timeouts} timeouts)`);
        if (mismatches > 0) note(`${mismatches} 2xx bodies failed the check`);
        const problems = [...seen].map(([p, count]) => (count > 1 ? `${count}x ${p}` : p));
        resolve({
          name: load.name,
          rate: ok / result.duration,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          ok,
          seconds: result.duration,
          failures,
          problems,
        });
      },
    );
    instance.on("response", (_client: autocannon.Client, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status <= 299) latencies.push(ms);
    });
    instance.on("reqError", (e: unknown) => note(`request error: ${e instanceof Error ? e.message : String(e)}`));
  });
}

const SCIM_JSON = "application/scim+json";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The SCIM workloads against the real server. Counters are shared by the 8 connections (one process, no workers). */
export function scimLoads(baseUrl: string, token: string, seeded: Seeded, runId: string) {
  const url = `${baseUrl}/scim/v2/Users`;
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, "content-type": SCIM_JSON };
  const n = seeded.ids.length;
  // A stride co-prime with n visits every seeded name, spread over the table rather than in insertion order.
  let stride = 7919;
  while (gcd(stride, n) !== 1) stride++;

  let created = 0;
  const create: Load = {
    name: "POST /Users (create)",
    url,
    verifyBody: (b, ctx) => b.includes(`"userName":"${ctx.userName}"`),
    requests: [
      {
        method: "POST",
        path: "/scim/v2/Users",
        headers: json,
        setupRequest: (req, ctx) => {
          const i = created++;
          const userName = `c${i}.${runId}@bench.example`;
          (ctx as Context).userName = userName;
          return {
            ...req,
            body: JSON.stringify({
              schemas: [USER_SCHEMA],
              userName,
              externalId: `ext-c${i}-${runId}`,
              name: { givenName: "Bench", familyName: `Created${i}` },
              displayName: `Bench Created${i}`,
              emails: [{ value: userName, type: "work", primary: true }],
              active: true,
            }),
          };
        },
      },
    ],
  };

  let looked = 0;
  const lookup: Load = {
    name: "GET /Users?filter=userName eq",
    url,
    verifyBody: (b, ctx) => b.includes('"totalResults":1,') && b.includes(`"userName":"${ctx.userName}"`),
    requests: [
      {
        method: "GET",
        headers: auth,
        setupRequest: (req, ctx) => {
          const name = seeded.userNames[(looked++ * stride) % n];
          (ctx as Context).userName = name;
          return { ...req, path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}` };
        },
      },
    ],
  };

  const byId: Load = {
    name: "GET /Users/{id}",
    url,
    verifyBody: (b, ctx) => b.includes(`"id":"${ctx.id}"`),
    requests: [
      {
        method: "GET",
        headers: auth,
        setupRequest: (req, ctx) => {
          const id = seeded.ids[(looked++ * stride) % n];
          (ctx as Context).id = id;
          return { ...req, path: `/scim/v2/Users/${id}` };
        },
      },
    ],
  };

  // Okta's shape on the first half of the ids, Entra's on the second (idp-behaviours.md O6, E8). Request k goes to
  // id k mod half and flips it: pass 0 sets active=false on every row of its half, pass 1 sets it back, so every
  // PATCH is a real change and consecutive requests (the 8 in flight) touch different rows.
  const half = Math.max(1, Math.floor(n / 2));
  const patchLoad = (shape: "okta" | "entra"): Load => {
    const ids = shape === "okta" ? seeded.ids.slice(0, half) : seeded.ids.slice(half);
    let patched = 0;
    return {
      name: `PATCH /Users/{id} active (${shape === "okta" ? "Okta" : "Entra"})`,
      url,
      verifyBody: (b, ctx) => b.includes(`"active":${ctx.active}`),
      requests: [
        {
          method: "PATCH",
          headers: json,
          setupRequest: (req, ctx) => {
            const k = patched++;
            const value = Math.floor(k / ids.length) % 2 === 1;
            (ctx as Context).active = value;
            const op =
              shape === "okta"
                ? { op: "replace", value: { active: value } }
                : { op: "Replace", path: "active", value: value ? "True" : "False" };
            return {
              ...req,
              path: `/scim/v2/Users/${ids[k % ids.length]}`,
              body: JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [op] }),
            };
          },
        },
      ],
    };
  };

  // Okta's profile update (O5): the whole user, its familyName new on every request, so each PUT is a real change.
  let replaced = 0;
  const put: Load = {
    name: "PUT /Users/{id}",
    url,
    verifyBody: (b, ctx) => b.includes(`"familyName":"${ctx.familyName}"`),
    requests: [
      {
        method: "PUT",
        headers: json,
        setupRequest: (req, ctx) => {
          const k = replaced++;
          const i = (k * stride) % n;
          const userName = seeded.userNames[i];
          const familyName = `Put${k}`;
          (ctx as Context).familyName = familyName;
          return {
            ...req,
            path: `/scim/v2/Users/${seeded.ids[i]}`,
            body: JSON.stringify({
              schemas: [USER_SCHEMA],
              userName,
              externalId: `ext-u${i}-${runId}`,
              name: { givenName: "Bench", familyName },
              displayName: `Bench ${familyName}`,
              emails: [{ value: userName, type: "work", primary: true }],
              active: true,
            }),
          };
        },
      },
    ],
  };

  const deepStart = Math.max(1, Math.floor(n * 0.9));
  const page = (name: string, startIndex: number): Load => {
    const expected = Math.min(100, n - startIndex + 1);
    return {
      name,
      url,
      verifyBody: (b) => Number(/"itemsPerPage":(\d+)/.exec(b)?.[1] ?? -1) >= expected,
      requests: [{ method: "GET", headers: auth, path: `/scim/v2/Users?startIndex=${startIndex}&count=100` }],
    };
  };

  return {
    create,
    lookup,
    byId,
    patchOkta: patchLoad("okta"),
    patchEntra: patchLoad("entra"),
    put,
    firstPage: page("GET /Users first page (1,100)", 1),
    deepPage: page(`GET /Users deep page (${deepStart},100)`, deepStart),
    deepStart,
  };
}

export function bareLoad(baseUrl: string): Load {
  return { name: "bare express GET /", url: `${baseUrl}/`, requests: [{ method: "GET", path: "/" }] };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
