import { rmSync } from "node:fs";
import { freePort } from "../../src/db/embedded";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { GROUP_SCHEMA, buildScimUser, patchOp, uniqueGroupName } from "../support/factories";
import { type RunningServer, killStrayServers, runCli, startServer, tempDataDir } from "../support/process";

// Two real `src/main.ts` processes (ROLE=all, as `npm start` runs: each with its own pool, worker loops and audit seal
// loop) on this jest worker's database, driven at once with the writes Okta and Entra send. The database alone keeps
// them consistent.
let t: TestApp;
let dbUrl: string;
let dataDir: string;
let replicas: RunningServer[];
const responses: { method: string; path: string; status: number }[] = [];
beforeAll(async () => {
  t = await startTestApp();
  dbUrl = await workerDatabaseUrl();
  dataDir = tempDataDir();
  const serve = async () =>
    startServer({
      ROLE: "all",
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: "warn",
    });
  replicas = await Promise.all([serve(), serve()]);
}, 90_000);
afterAll(async () => {
  await killStrayServers();
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON read field by field in the assertions
interface Answer {
  status: number;
  body: Record<string, any>;
}

/** One SCIM request to replica `n % 2`, recorded for the no-5xx check. */
async function scim(n: number, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${t.scimToken}` };
  if (body !== undefined) headers["Content-Type"] = "application/scim+json";
  const r = await fetch(`${replicas[n % 2].baseUrl}/scim/v2${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  responses.push({ method, path, status: r.status });
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}

const tag = Date.now().toString(36);
const casings = (name: string) => [name, name.toUpperCase()];
const seedUsers = async (n: number, prefix: string): Promise<string[]> =>
  (
    await t.ds.query(
      `INSERT INTO users (user_name, source) SELECT $1 || g || '@replicas.test', 'scim' FROM generate_series(1, $2::int) g RETURNING id`,
      [`${prefix}.${tag}.`, n],
    )
  ).map((r: { id: string }) => r.id);
const versionOf = (a: Answer) => Number(/^W\/"(\d+)"$/.exec(a.body.meta.version)![1]);

describe("two replicas on one database", () => {
  const created: string[] = [];

  it("RFC 7644 §3.3: 30 userNames, each POSTed in two casings to both replicas at once, make one user each; the rest 409 uniqueness", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `race${i}.${tag}@Replicas.test`);
    // Five more names held by removed accounts: the same race restores each account once (decision 0002).
    const removed = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const a = await scim(i, "POST", "/Users", buildScimUser({ userName: `gone${i}.${tag}@replicas.test` }));
        expect(a.status).toBe(201);
        expect((await scim(i + 1, "DELETE", `/Users/${a.body.id}`)).status).toBe(204);
        return a.body as { id: string; userName: string };
      }),
    );
    const sends = [...names, ...removed.map((u) => u.userName)].flatMap((name) =>
      casings(name).flatMap((userName) => [0, 1].map((n) => ({ name, n, userName }))),
    );
    const answers = await Promise.all(
      sends.map(async (s) => ({ ...s, a: await scim(s.n, "POST", "/Users", buildScimUser({ userName: s.userName })) })),
    );

    for (const name of [...names, ...removed.map((u) => u.userName)]) {
      const mine = answers.filter((x) => x.name === name);
      expect(mine.map((x) => x.a.status).sort()).toEqual([201, 409, 409, 409]);
      for (const x of mine.filter((y) => y.a.status === 409)) expect(x.a.body.scimType).toBe("uniqueness");
      const winner = mine.find((x) => x.a.status === 201)!;
      expect(winner.a.body.userName).toBe(winner.userName);
      const rows = await t.ds.query("SELECT id, user_name, removed_at FROM users WHERE lower(user_name) = lower($1)", [
        name,
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: winner.a.body.id, user_name: winner.userName, removed_at: null });
      const restoredFrom = removed.find((u) => u.userName === name);
      if (restoredFrom) expect(winner.a.body.id).toBe(restoredFrom.id);
      else {
        expect(versionOf(winner.a)).toBe(1);
        created.push(winner.a.body.id);
      }
    }
    const [{ n }] = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND target_id = ANY($1::text[])",
      [created],
    );
    expect(n).toBe(30);
  }, 60_000);

  it("RFC 7644 §3.5.2, Okta and Entra shapes: 20 PATCHes of one group through both replicas keep every membership change", async () => {
    const pool = [...created, ...(await seedUsers(60, "member"))];
    const initial = pool.slice(60, 90);
    const incoming = pool.slice(0, 60);
    const displayName = uniqueGroupName("Replicas");
    const group = await scim(0, "POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName, members: [] });
    expect(group.status).toBe(201);
    const id = group.body.id as string;
    expect(
      (
        await scim(
          1,
          "PATCH",
          `/Groups/${id}`,
          patchOp({ op: "add", path: "members", value: initial.map((value) => ({ value })) }),
        )
      ).status,
    ).toBe(204);

    const patches = Array.from({ length: 20 }, (_, k) => {
      const add = incoming.slice(k * 3, k * 3 + 3);
      const remove = initial[k];
      return k % 2 === 0
        ? // Okta (O9, O10): the rename sent with every push, removes by filter, adds with display.
          patchOp(
            { op: "replace", value: { id, displayName } },
            { op: "remove", path: `members[value eq "${remove}"]` },
            { op: "add", path: "members", value: add.map((value) => ({ value, display: value })) },
          )
        : // Entra (E14, E15): capitalised ops, `$ref: null`, removes as a value list.
          patchOp(
            { op: "Add", path: "members", value: add.map((value) => ({ $ref: null, value })) },
            { op: "Remove", path: "members", value: [{ value: remove }] },
          );
    });
    const answers = await Promise.all(patches.map((body, k) => scim(k >> 1, "PATCH", `/Groups/${id}`, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(204));

    const expected = [...initial.slice(20), ...incoming].sort();
    const stored = await t.ds.query("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", [id]);
    expect(stored.map((r: { user_id: string }) => r.user_id)).toEqual(expected);
    for (const n of [0, 1]) {
      const read = await scim(n, "GET", `/Groups/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual(expected);
      expect(read.body.displayName).toBe(displayName);
      expect(versionOf(read)).toBe(22);
    }
    const audited = async (action: string) =>
      (await t.ds.query("SELECT changes FROM audit_events WHERE target_id = $1 AND action = $2", [id, action]))
        .flatMap((r: { changes: { members: string[] } }) => r.changes.members)
        .sort();
    expect(await audited("membership.added")).toEqual([...initial, ...incoming].sort());
    expect(await audited("membership.removed")).toEqual(initial.slice(0, 20).sort());
  }, 60_000);

  it("RFC 7644 §3.5.1 and §3.5.2: PUTs and PATCHes of the same users through both replicas end in a serial order, versions 2..5", async () => {
    const patched = created.slice(0, 8);
    const put = created.slice(8, 16);
    const mixed = created.slice(16, 24);
    const kinds = (uid: string) =>
      patched.includes(uid)
        ? ["patch", "patch", "patch", "patch"]
        : put.includes(uid)
          ? ["put", "put", "put", "put"]
          : ["put", "put", "patch", "patch"];
    // Write j of a user goes to replica j % 2: both replicas PUT, and both PATCH, each user.
    const work = [...patched, ...put, ...mixed].flatMap((uid) => kinds(uid).map((kind, j) => ({ uid, j, kind })));
    const userNames = new Map<string, string>(
      (await t.ds.query("SELECT id, user_name FROM users WHERE id = ANY($1::uuid[])", [[...put, ...mixed]])).map(
        (r: { id: string; user_name: string }) => [r.id, r.user_name],
      ),
    );
    const answers = await Promise.all(
      work.map(async (w) => {
        const a =
          w.kind === "patch"
            ? await scim(
                w.j,
                "PATCH",
                `/Users/${w.uid}`,
                w.j % 2
                  ? patchOp({ op: "Add", path: "emails", value: [{ value: `e${w.j}.${w.uid}@replicas.test` }] })
                  : patchOp({ op: "add", value: { emails: [{ value: `e${w.j}.${w.uid}@replicas.test` }] } }),
              )
            : await scim(
                w.j,
                "PUT",
                `/Users/${w.uid}`,
                buildScimUser({
                  userName: userNames.get(w.uid),
                  title: `title ${w.j}`,
                  name: { givenName: `G${w.j}`, familyName: `F${w.j}` },
                  emails: [],
                }),
              );
        return { ...w, a };
      }),
    );
    expect(answers.filter((x) => x.a.status !== 200)).toEqual([]);

    for (const [i, uid] of [...patched, ...put, ...mixed].entries()) {
      const mine = answers.filter((x) => x.uid === uid);
      // Each write saw the one before it: versions 2..5 once each.
      expect(mine.map((x) => versionOf(x.a)).sort()).toEqual([2, 3, 4, 5]);
      const read = await scim(i, "GET", `/Users/${uid}`);
      expect(versionOf(read)).toBe(5);
      const emails = (read.body.emails ?? []).map((e: { value: string }) => e.value);
      if (patched.includes(uid)) {
        for (let j = 0; j < 4; j++) expect(emails).toContain(`e${j}.${uid}@replicas.test`);
      } else {
        // The last PUT (by the version it answered with) is the whole state but for the PATCHes numbered after it
        // (a PUT sends no emails): no field from another PUT, no PATCH lost after it, none kept from before it.
        const last = mine.filter((x) => x.kind === "put").sort((x, y) => versionOf(y.a) - versionOf(x.a))[0];
        expect(read.body.title).toBe(`title ${last.j}`);
        expect(read.body.name).toMatchObject({ givenName: `G${last.j}`, familyName: `F${last.j}` });
        const after = mine
          .filter((x) => x.kind === "patch" && versionOf(x.a) > versionOf(last.a))
          .map((x) => `e${x.j}.${uid}@replicas.test`);
        expect(emails.sort()).toEqual(after.sort());
      }
      const [{ n }] = await t.ds.query(
        "SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action = 'user.updated'",
        [uid],
      );
      expect(n).toBe(4);
    }
  }, 60_000);

  it("nothing answered 5xx or logged an error, and `roster audit verify` finds the chain intact", async () => {
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of replicas) {
      const errors = r
        .stdout()
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((l) => l.level >= 50);
      expect(errors).toEqual([]);
    }
    const verified = runCli(["audit", "verify"], { DATABASE_URL: dbUrl });
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM audit_events");
    expect(verified.stdout).toMatch(new RegExp(`^audit chain intact: ${n} records checked`));
    expect(n).toBeGreaterThan(150);
  }, 60_000);
});
