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

/** Batches per side of the interleaved control (big group vs small group, alternating). */
const CONTROL_BATCHES = 20;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" ");

/**
 * The group workload: grows one group to `members` members with sequential PATCH add batches (Okta's push shape,
 * one connection), and compares GET ?excludedAttributes=members on that group with the same GET on an empty group.
 * Returns the problems found (empty when every request succeeded and the group holds every member).
 */
export async function groupWorkload(
  o: GroupBenchOptions,
): Promise<{ problems: string[]; ratio: number; getRatio: number; controlRatio: number }> {
  const problems: string[] = [];
  const auth = { authorization: `Bearer ${o.token}` };
  const json = { ...auth, "content-type": SCIM_JSON };
  const url = `${o.baseUrl}/scim/v2/Groups`;

  const pool = new Pool({ connectionString: o.dbUrl, max: 1, application_name: "roster-bench-groups" });
  let ids: string[];
  let controlIds: string[];
  try {
    const seeded = await seedUsers(pool, o.members + 2 * CONTROL_BATCHES * o.batch, `g${o.runId}`);
    ids = seeded.ids.slice(0, o.members);
    controlIds = seeded.ids.slice(o.members);
    o.say(
      `  seeded ${seeded.ids.length} users for the group workload in ${(seeded.insertSeconds + seeded.analyzeSeconds).toFixed(1)} s`,
    );
  } finally {
    await pool.end();
  }

  const create = async (displayName: string) => {
    const res = await fetch(url, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ schemas: [GROUP_SCHEMA], displayName, members: [] }),
    });
    if (res.status !== 201) throw new Error(`POST /Groups answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const big = await create(`Bench big ${o.runId}`);
  const empty = await create(`Bench empty ${o.runId}`);

  /** One Okta-shaped PATCH (rename + add) of `members` to `group`; its time in ms. */
  const addBatch = async (group: string, name: string, members: string[], label: string) => {
    const value = members.map((id) => ({ value: id, display: id }));
    const body = JSON.stringify({
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: "replace", value: { id: group, displayName: name } },
        { op: "add", path: "members", value },
      ],
    });
    const t0 = performance.now();
    const res = await fetch(`${url}/${group}`, { method: "PATCH", headers: json, body });
    await res.arrayBuffer();
    if (res.status !== 204 && problems.length < 5) problems.push(`PATCH ${label} answered ${res.status}`);
    return performance.now() - t0;
  };
  const times: number[] = [];
  for (let from = 0; from < ids.length; from += o.batch) {
    times.push(await addBatch(big, `Bench big ${o.runId}`, ids.slice(from, from + o.batch), `batch ${from / o.batch}`));
  }
  const first = times.slice(0, 10);
  const last = times.slice(-10);
  const ratio = mean(last) / mean(first);
  o.say(
    `  grow one group to ${ids.length} members in ${times.length} PATCH batches of ${o.batch} (sequential, rename + add, as Okta sends):`,
  );
  o.say(`    first 10 batches ms: ${fmt(first)}  (mean ${mean(first).toFixed(2)})`);
  o.say(`    last 10 batches ms:  ${fmt(last)}  (mean ${mean(last).toFixed(2)})`);
  const tenths = Array.from({ length: 10 }, (_, i) =>
    mean(times.slice((i * times.length) / 10, ((i + 1) * times.length) / 10)),
  );
  o.say(`    mean ms per tenth of the growth: ${fmt(tenths)}`);
  o.say(
    `    all batches: p50 ${percentile(
      [...times].sort((a, b) => a - b),
      50,
    ).toFixed(2)} ms, total ${(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`,
  );

  // Control: the same batches alternating between the full group and a small one, so drift over time (autovacuum,
  // checkpoints, other load) hits both sides alike and only the group's size differs.
  const small = await create(`Bench small ${o.runId}`);
  const control = { big: [] as number[], small: [] as number[] };
  for (let i = 0; i < CONTROL_BATCHES; i++) {
    const chunk = (k: number) => controlIds.slice((2 * i + k) * o.batch, (2 * i + k + 1) * o.batch);
    control.big.push(await addBatch(big, `Bench big ${o.runId}`, chunk(0), `control big ${i}`));
    control.small.push(await addBatch(small, `Bench small ${o.runId}`, chunk(1), `control small ${i}`));
  }
  const controlRatio = mean(control.big) / mean(control.small);
  o.say(
    `  interleaved control, ${CONTROL_BATCHES} batches each: group of ${ids.length}+ mean ${mean(control.big).toFixed(2)} ms, small group mean ${mean(control.small).toFixed(2)} ms (ratio ${controlRatio.toFixed(2)})`,
  );

  // Alternating, so drift on the shared machine hits both sides alike.
  const getTimes = { big: [] as number[], empty: [] as number[] };
  for (let i = 0; i < o.gets; i++) {
    for (const [key, id] of [
      ["big", big],
      ["empty", empty],
    ] as const) {
      const t0 = performance.now();
      const res = await fetch(`${url}/${id}?excludedAttributes=members`, { headers: auth });
      await res.arrayBuffer();
      getTimes[key].push(performance.now() - t0);
      if (res.status !== 200 && problems.length < 5) problems.push(`GET ${key} answered ${res.status}`);
    }
  }
  const p50 = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const getRatio = p50(getTimes.big) / p50(getTimes.empty);
  o.say(
    `  GET /Groups/{id}?excludedAttributes=members, ${o.gets} each: ${ids.length} members p50 ${p50(getTimes.big).toFixed(2)} ms, empty group p50 ${p50(getTimes.empty).toFixed(2)} ms`,
  );

  const t0 = performance.now();
  const full = await fetch(`${url}/${big}`, { headers: auth });
  const text = await full.text();
  const members = (JSON.parse(text) as { members?: unknown[] }).members?.length ?? 0;
  o.say(
    `  GET /Groups/{id} with all members (streamed in pages of 1000): ${members} members, ${(text.length / 1e6).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const expected = ids.length + CONTROL_BATCHES * o.batch;
  if (members !== expected) problems.push(`the group has ${members} members, expected ${expected}`);
  return { problems, ratio, getRatio, controlRatio };
}
