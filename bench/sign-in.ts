import { createHash, randomBytes } from "node:crypto";
import { Pool } from "pg";
import { hashPassword, verifyPassword } from "../src/domain/passwords";
import type { Roster } from "./server";

/**
 * `npm run bench -- sign-in`: password sign-ins through the OpenID Provider, end to end as a browser does them
 * (authorization request, sign-in page, password post, back to the authorization endpoint, the code), and token
 * endpoint exchanges of the codes they produced; beside them, the bare password hash rate (scrypt at the chosen cost,
 * in this process, with the same 4 libuv threads) as the floor a sign-in cannot beat.
 */

export interface SignInResult {
  people: number;
  signIns: Figures;
  exchanges: Figures;
  bareHash: Figures;
  problems: string[];
}

export interface Figures {
  rate: number;
  p50: number;
  p99: number;
  ok: number;
  failures: number;
  seconds: number;
}

const REDIRECT = "http://127.0.0.1:9/callback";
const PASSWORD = "correct horse battery staple 42";
const VERIFIER = randomBytes(32).toString("base64url");
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");

function figures(latencies: number[], seconds: number, failures: number): Figures {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN);
  return { rate: s.length / seconds, p50: at(0.5), p99: at(0.99), ok: s.length, failures, seconds };
}

/** Runs `one` from `workers` loops for `seconds`; latencies in ms of the successful runs. */
async function loop(workers: number, seconds: number, one: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const ok = await one(n++).catch(() => false);
        if (ok) latencies.push(performance.now() - t);
        else failures++;
      }
    }),
  );
  return figures(latencies, (performance.now() - started) / 1000, failures);
}

class Jar {
  private readonly cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

/** One whole sign-in; answers the code, or null. */
async function signIn(base: string, clientId: string, login: string): Promise<string | null> {
  const jar = new Jar();
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: "openid email",
    redirect_uri: REDIRECT,
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    state: randomBytes(8).toString("hex"),
  });
  let res = await jar.fetch(`${base}/oidc/auth?${q}`);
  const page = res.headers.get("location");
  if (res.status !== 303 || !page) return null;
  await (await jar.fetch(new URL(page, base).href)).text();
  res = await jar.fetch(new URL(page, base).href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password: PASSWORD }).toString(),
  });
  const resume = res.headers.get("location");
  await res.body?.cancel();
  if (res.status !== 303 || !resume) return null;
  res = await jar.fetch(new URL(resume, base).href);
  await res.body?.cancel();
  const back = res.headers.get("location");
  return back?.startsWith(REDIRECT) ? new URL(back).searchParams.get("code") : null;
}

export async function signInWorkload(o: {
  roster: Roster;
  runId: string;
  seconds: number;
  workers: number;
  say: (line: string) => void;
}): Promise<SignInResult> {
  const { baseUrl: base } = o.roster;
  const problems: string[] = [];
  const res = await fetch(`${base}/admin/v1/clients`, {
    method: "POST",
    headers: { authorization: `Bearer ${o.roster.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `bench-${o.runId}`, redirectUris: [REDIRECT] }),
  });
  if (res.status !== 201) throw new Error(`client create: ${res.status} ${await res.text()}`);
  const { clientId, clientSecret } = (await res.json()) as { clientId: string; clientSecret: string };

  // people to sign in as, each with the same password (one hash made here: the cost is per verification)
  const people = 200;
  const pool = new Pool({ connectionString: o.roster.dbUrl, max: 1 });
  const hash = await hashPassword(PASSWORD);
  const logins = Array.from({ length: people }, (_, i) => `signin.${o.runId}.${i}`);
  await pool.query(
    `INSERT INTO users (user_name, emails, active, source, password_hash)
     SELECT n, jsonb_build_array(jsonb_build_object('value', n || '@bench.test', 'primary', true)), true, 'admin', $2
     FROM unnest($1::text[]) AS n`,
    [logins, hash],
  );
  await pool.end();

  o.say(`  sign-in: ${people} people, ${o.workers} browsers at once, ${o.seconds} s each`);
  const bareHash = await loop(4, Math.min(5, o.seconds), () => verifyPassword(PASSWORD, hash));
  o.say(`  bare scrypt verification (floor): ${bareHash.rate.toFixed(1)}/s, p99 ${bareHash.p99.toFixed(1)} ms`);

  const codes: string[] = [];
  const signIns = await loop(o.workers, o.seconds, async (i) => {
    const code = await signIn(base, clientId, logins[i % people]);
    if (code) codes.push(code);
    return code !== null;
  });
  o.say(
    `  password sign-ins: ${signIns.rate.toFixed(1)}/s, p50 ${signIns.p50.toFixed(1)} ms, p99 ${signIns.p99.toFixed(1)} ms, ${signIns.failures} failed`,
  );

  // the codes just made (a code lives 60 s), exchanged at the token endpoint as fast as the workers go
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
  let next = 0;
  const started = performance.now();
  const latencies: number[] = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: o.workers }, async () => {
      for (let code = codes[next++]; code !== undefined; code = codes[next++]) {
        const t = performance.now();
        const r = await fetch(`${base}/oidc/token`, {
          method: "POST",
          headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            redirect_uri: REDIRECT,
            code_verifier: VERIFIER,
          }).toString(),
        });
        const body = (await r.json()) as { id_token?: string; error?: string };
        if (r.ok && body.id_token) latencies.push(performance.now() - t);
        else {
          failures++;
          if (problems.length < 5) problems.push(`token: ${r.status} ${body.error}`);
        }
      }
    }),
  );
  const exchanges = figures(latencies, (performance.now() - started) / 1000, failures);
  o.say(
    `  token exchanges: ${exchanges.rate.toFixed(1)}/s over ${codes.length} codes, p99 ${exchanges.p99.toFixed(1)} ms, ${failures} failed`,
  );
  return { people, signIns, exchanges, bareHash, problems };
}
