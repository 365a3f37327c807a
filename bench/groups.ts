import { Pool } from "pg";
import { percentile } from "./workloads";
import { seedUsers } from "./seed";

const SCIM_JSON = "application/scim+json";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface GroupBenchOptions {
  baseUrl: string;
  token: string;
  dbUrl: string;
  runId: string;
  /** Members to grow the group to (default 100,000), in PATCH batches of `batch` (default 100). */
  members: number;
  batch: number;
  /** GETs per side of the excludedAttributes=members comparison. */
  gets: number;
  say: (line?: string) => void;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" ");

/**
 * The group workload: grows one group to `members` members with sequential PATCH add batches (Okta's push shape,
 * one connection), and compares GET ?excludedAttributes=members on that group with the same GET on an empty group.
 * Returns the problems found (empty when every request succeeded and the group holds every member).
 */
export async function groupWorkload(o: GroupBenchOptions): Promise<{ problems: string[]; ratio: number; getRatio: number }> {
  const problems: string[] = [];
  const auth = { authorization: `Bearer ${o.token}` };
  const json = { ...auth, "content-type": SCIM_JSON };
  const url = `${o.baseUrl}/scim/v2/Groups`;

  const pool = new Pool({ connectionString: o.dbUrl, max: 1, application_name: "roster-bench-groups" });
  let ids: string[];
  try {
    const seeded = await seedUsers(pool, o.members, `g${o.runId}`);
    ids = seeded.ids;
    o.say(`  seeded ${o.members} users for the group in ${(seeded.insertSeconds + seeded.analyzeSeconds).toFixed(1)} s`);
  } finally {
    await pool.end();
  }

  const create = async (displayName: string) => {
    const res = await fetch(url, { method: "POST", headers: json, body: JSON.stringify({ schemas: [GROUP_SCHEMA], displayName, members: [] }) });
    if (res.status !== 201) throw new Error(`POST /Groups answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const big = await create(`Bench big ${o.runId}`);
  const empty = await create(`Bench empty ${o.runId}`);

  const times: number[] = [];
  for (let from = 0; from < ids.length; from += o.batch) {
    const value = ids.slice(from, from + o.batch).map((id) => ({ value: id, display: id }));
    const body = JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", value: { id: big, displayName: `Bench big ${o.runId}` } }, { op: "add", path: "members", value }] });
    const t0 = performance.now();
    const res = await fetch(`${url}/${big}`, { method: "PATCH", headers: json, body });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 204 && problems.length < 5) problems.push(`PATCH batch ${from / o.batch} answered ${res.status}`);
  }
  const first = times.slice(0, 10);
  const last = times.slice(-10);
  const ratio = mean(last) / mean(first);
  o.say(`  grow one group to ${ids.length} members in ${times.length} PATCH batches of ${o.batch} (sequential, rename + add, as Okta sends):`);
  o.say(`    first 10 batches ms: ${fmt(first)}  (mean ${mean(first).toFixed(2)})`);
  o.say(`    last 10 batches ms:  ${fmt(last)}  (mean ${mean(last).toFixed(2)})`);
  const tenths = Array.from({ length: 10 }, (_, i) => mean(times.slice((i * times.length) / 10, ((i + 1) * times.length) / 10)));
  o.say(`    mean ms per tenth of the growth: ${fmt(tenths)}`);
  o.say(`    all batches: p50 ${percentile([...times].sort((a, b) => a - b), 50).toFixed(2)} ms, total ${(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`);

  // Alternating, so drift on the shared machine hits both sides alike.
  const getTimes = { big: [] as number[], empty: [] as number[] };
  for (let i = 0; i < o.gets; i++) {
    for (const [key, id] of [["big", big], ["empty", empty]] as const) {
      const t0 = performance.now();
      const res = await fetch(`${url}/${id}?excludedAttributes=members`, { headers: auth });
      await res.arrayBuffer();
      getTimes[key].push(performance.now() - t0);
      if (res.status !== 200 && problems.length < 5) problems.push(`GET ${key} answered ${res.status}`);
    }
  }
  const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
  const getRatio = p50(getTimes.big) / p50(getTimes.empty);
  o.say(`  GET /Groups/{id}?excludedAttributes=members, ${o.gets} each: ${ids.length} members p50 ${p50(getTimes.big).toFixed(2)} ms, empty group p50 ${p50(getTimes.empty).toFixed(2)} ms`);

  const t0 = performance.now();
  const full = await fetch(`${url}/${big}`, { headers: auth });
  const text = await full.text();
  const members = (JSON.parse(text) as { members?: unknown[] }).members?.length ?? 0;
  o.say(`  GET /Groups/{id} with all members (streamed in pages of 1000): ${members} members, ${(text.length / 1e6).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms`);
  if (members !== ids.length) problems.push(`the group has ${members} members, expected ${ids.length}`);
  return { problems, ratio, getRatio };
}
