import type request from "supertest";
import { type AdminClient, startTestApp, type TestApp } from "../support/app";
import { entity, letters, person } from "../support/admin-fixtures";
import { scimGroup } from "../support/group-fixtures";
import { seedPerson } from "../support/people";
import { jobHandlers } from "../../src/worker/job-handlers";

/**
 * Every admin route that targets a person, and every mass action (answered at once or as a job), against each actor
 * and each target: the one authorisation decision (src/domain/access/person-access.rules.ts) as the doors answer it.
 * A refusal changes nothing: not the user row, no audit record, no feed event or outbox job, no invitation, no membership.
 *
 * Actors: `wide` an admin of the whole organisation, `scoped` an admin limited to France, `auditor` (whole organisation).
 * Targets: `inside` a member in Lyon (under France), `outside` a member in Spain, `wider` an organisation-wide admin
 * placed in Lyon, `peer` an admin limited to Lyon (placed there), `self` the actor.
 */
type ActorKind = "wide" | "scoped" | "auditor";
type TargetKind = "inside" | "outside" | "wider" | "peer" | "self";
const TARGETS: TargetKind[] = ["inside", "outside", "wider", "peer", "self"];

let t: TestApp;
let france: string, lyon: string, spain: string, group: string;
const actors = {} as Record<ActorKind, { id: string; client: AdminClient }>;

beforeAll(async () => {
  t = await startTestApp({ ADMIN_ACTIONS_SYNC_MAX: "1" });
  const root = await entity(t, "Holding");
  france = await entity(t, "France", root);
  lyon = await entity(t, "Lyon", france);
  spain = await entity(t, "Spain", root);
  group = await scimGroup(t, "Matrix Space");
  for (const [kind, body] of [
    ["wide", { role: "admin", entityId: france }],
    ["scoped", { role: "admin", adminScope: [france], entityId: france }],
    ["auditor", { role: "auditor", entityId: france }],
  ] as const) {
    const p = await person(t, body);
    actors[kind] = { id: p.id, client: t.adminAs(await t.token(kind === "auditor" ? "auditor" : "admin", p.userName)) };
  }
});
afterAll(async () => t.close());

async function target(kind: TargetKind, actor: ActorKind): Promise<string> {
  const seed = { source: "admin" as const, givenName: "Target", familyName: "Person" };
  switch (kind) {
    case "inside":
      return (await seedPerson(t.ds, { ...seed, entityId: lyon })).id;
    case "outside":
      return (await seedPerson(t.ds, { ...seed, entityId: spain })).id;
    case "wider":
      return (await seedPerson(t.ds, { ...seed, entityId: lyon, role: "admin" })).id;
    case "peer":
      return (await seedPerson(t.ds, { ...seed, entityId: lyon, role: "admin", adminScope: [lyon] })).id;
    case "self":
      return actors[actor].id;
  }
}

/** What a refusal must leave as it was. */
async function snapshot(id: string): Promise<unknown> {
  const [row] = await t.ds.query(
    `SELECT to_jsonb(u) AS row,
      (SELECT count(*)::int FROM audit_events WHERE target_id = $1) AS audits,
      (SELECT count(*)::int FROM outbox WHERE payload->>'userId' = $1) AS queued,
      (SELECT count(*)::int FROM events WHERE subject_id = $1 OR data->'userIds' ? $1) AS events,
      (SELECT count(*)::int FROM invitations WHERE user_id = $1::uuid) AS invitations,
      (SELECT count(*)::int FROM group_members WHERE user_id = $1::uuid) AS memberships
    FROM users u WHERE u.id = $1::uuid`,
    [id],
  );
  return row;
}

/** The actors' own rows are put back after a row that changed them, so each row starts from the same actors. */
async function restoreActors(): Promise<void> {
  await t.ds.query(
    `UPDATE users SET active = true, system_role = CASE WHEN id = $3 THEN 'auditor' ELSE 'admin' END,
      admin_scope = CASE WHEN id = $2 THEN ARRAY[$4::uuid] ELSE '{}' END, entity_id = $4
    WHERE id = ANY(ARRAY[$1, $2, $3]::uuid[])`,
    [actors.wide.id, actors.scoped.id, actors.auditor.id, france],
  );
}

const emailOf = async (id: string) =>
  (await t.ds.query("SELECT emails->0->>'value' AS e FROM users WHERE id = $1", [id]))[0].e as string;
const fresh = () => `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Route {
  name: string;
  /** Sets the target up before the snapshot (a member to remove, someone deactivated to enable). */
  prepare?: (id: string) => Promise<void>;
  call: (c: AdminClient, id: string) => Promise<request.Response>;
  /** Answers for [inside, outside, wider, peer, self]: "status", "status code" or "status code field". */
  expect: Record<ActorKind, string[]>;
}

const RO = Array(5).fill("403 read_only");
const deactivated = async (id: string) =>
  void (await t.ds.query("UPDATE users SET active = false WHERE id = $1 AND id <> ALL($2::uuid[])", [
    id,
    Object.values(actors).map((a) => a.id),
  ]));
const member = async (id: string) =>
  void (await t.ds.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
    group,
    id,
  ]));

const ROUTES: Route[] = [
  {
    name: "GET /users/{id}",
    call: (c, id) => c.get(`/users/${id}`),
    expect: {
      wide: ["200", "200", "200", "200", "200"],
      scoped: ["200", "404 not_found", "200", "200", "200"],
      auditor: ["200", "200", "200", "200", "200"],
    },
  },
  {
    name: "GET /users/{id}/invitation",
    call: (c, id) => c.get(`/users/${id}/invitation`),
    expect: {
      wide: Array(5).fill("404 no_invitation"),
      scoped: ["404 no_invitation", "404 not_found", "404 no_invitation", "404 no_invitation", "404 no_invitation"],
      auditor: Array(5).fill("404 no_invitation"),
    },
  },
  {
    name: "PATCH /users/{id} names",
    call: (c, id) => c.patch(`/users/${id}`, { givenName: "Renamed" }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "200", "200"],
      auditor: RO,
    },
  },
  {
    name: "PATCH /users/{id} email",
    call: (c, id) => c.patch(`/users/${id}`, { email: `${fresh()}@evil.test` }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "403 out_of_scope email", "403 out_of_scope email"],
      auditor: RO,
    },
  },
  {
    name: "PATCH /users/{id} userName",
    call: (c, id) => c.patch(`/users/${id}`, { userName: `evil.${letters(10)}` }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "403 out_of_scope userName", "403 out_of_scope userName"],
      auditor: RO,
    },
  },
  {
    name: "PATCH /users/{id} rights",
    call: (c, id) => c.patch(`/users/${id}`, { role: "auditor", adminScope: [lyon] }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "200", "403 out_of_scope role"],
      auditor: RO,
    },
  },
  {
    name: "POST /users/{id}/deactivate",
    call: (c, id) => c.post(`/users/${id}/deactivate`),
    expect: {
      wide: ["200", "200", "200", "200", "409 cannot_deactivate_self"],
      scoped: ["200", "404 not_found", "403 out_of_scope id", "200", "409 cannot_deactivate_self"],
      auditor: RO,
    },
  },
  {
    name: "POST /users/{id}/activate",
    prepare: deactivated,
    call: (c, id) => c.post(`/users/${id}/activate`),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "200", "200"],
      auditor: RO,
    },
  },
  {
    name: "POST /users/{id}/invitation",
    call: (c, id) => c.post(`/users/${id}/invitation`),
    expect: {
      wide: Array(5).fill("202"),
      scoped: ["202", "404 not_found", "403 out_of_scope id", "403 out_of_scope id", "403 out_of_scope id"],
      auditor: RO,
    },
  },
  {
    name: "POST /users/{id}/one-time-password",
    call: (c, id) => c.post(`/users/${id}/one-time-password`, {}),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope id", "403 out_of_scope id", "403 out_of_scope id"],
      auditor: RO,
    },
  },
  {
    name: "POST /groups/{id}/members",
    call: (c, id) => c.post(`/groups/${group}/members`, { ids: [id] }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: ["200", "404 not_found", "403 out_of_scope ids[0]", "200", "200"],
      auditor: RO,
    },
  },
  {
    name: "DELETE /groups/{id}/members/{userId}",
    prepare: member,
    call: (c, id) => c.delete(`/groups/${group}/members/${id}`),
    expect: {
      wide: Array(5).fill("204"),
      scoped: ["204", "404 not_found", "403 out_of_scope userId", "204", "204"],
      auditor: RO,
    },
  },
  {
    name: "POST /groups/{id}/invitations",
    call: async (c, id) => c.post(`/groups/${group}/invitations`, { email: await emailOf(id) }),
    expect: {
      wide: Array(5).fill("200"),
      scoped: [
        "200",
        "409 email_taken email",
        "403 out_of_scope email",
        "403 out_of_scope email",
        "403 out_of_scope email",
      ],
      auditor: RO,
    },
  },
];

/** A mass action's result for one person, whether it was answered at once or became a job (run here to its end). */
async function massAction(
  c: AdminClient,
  action: string,
  ids: string[],
): Promise<{ status: number; code?: string; outcomes?: string[] }> {
  const res = await c.post("/users/actions", { action, ids });
  if (res.status === 200) return { status: 200, outcomes: res.body.results.map(outcomeOf) };
  if (res.status !== 202) return { status: res.status, code: res.body.code };
  while (await t.services.jobs.step(jobHandlers(t.services.actions)));
  const results = await c.get(`/jobs/${res.body.id}/results?limit=100`).expect(200);
  return { status: 202, outcomes: results.body.items.map(outcomeOf) };
}
const outcomeOf = (r: { outcome: string; reason?: string }) => (r.reason ? `${r.outcome}:${r.reason}` : r.outcome);

const MASS: {
  action: string;
  prepare?: (id: string) => Promise<void>;
  expect: Record<Exclude<ActorKind, "auditor">, string[]>;
}[] = [
  {
    action: "disable",
    expect: {
      wide: ["done", "done", "done", "done", "skipped:cannot_disable_self"],
      scoped: ["done", "not_found", "failed:out_of_scope", "done", "skipped:cannot_disable_self"],
    },
  },
  {
    action: "enable",
    prepare: deactivated,
    expect: {
      wide: ["done", "done", "done", "done", "skipped:already_enabled"],
      scoped: ["done", "not_found", "failed:out_of_scope", "done", "skipped:already_enabled"],
    },
  },
  {
    action: "invite",
    expect: {
      wide: Array(5).fill("done"),
      scoped: ["done", "not_found", "failed:out_of_scope", "failed:out_of_scope", "failed:out_of_scope"],
    },
  },
];

const CASES = ROUTES.flatMap((r) =>
  (["wide", "scoped", "auditor"] as ActorKind[]).flatMap((a) =>
    TARGETS.map((k, i) => [r.name, a, k, r.expect[a][i]] as const),
  ),
);

describe("one authorisation decision on every admin route that targets a person", () => {
  afterEach(restoreActors);

  it.each(CASES)("%s as %s on %s: %s", async (name, actor, kind, expected) => {
    const route = ROUTES.find((r) => r.name === name)!;
    const id = await target(kind, actor);
    await route.prepare?.(id);
    const before = await snapshot(id);
    const res = await route.call(actors[actor].client, id);
    const [status, code, field] = expected.split(" ");
    expect([res.status, res.body.code, res.body.field]).toEqual([Number(status), code, field]);
    if (res.status >= 400 || route.name.startsWith("GET")) expect(await snapshot(id)).toEqual(before);
    else if (!(kind === "self" && route.name.endsWith("/activate"))) expect(await snapshot(id)).not.toEqual(before); // self is active already
  });
});

describe("one authorisation decision on every item of a mass action, answered at once or as a job", () => {
  afterEach(restoreActors);

  for (const m of MASS) {
    for (const actor of ["wide", "scoped"] as const) {
      it(`${m.action} as ${actor}, one person at a time (answered at once)`, async () => {
        for (const [i, kind] of TARGETS.entries()) {
          const id = await target(kind, actor);
          await m.prepare?.(id);
          const before = await snapshot(id);
          const answer = await massAction(actors[actor].client, m.action, [id]);
          expect([kind, answer.status, answer.outcomes]).toEqual([kind, 200, [m.expect[actor][i]]]);
          if (m.expect[actor][i] === "done") expect(await snapshot(id)).not.toEqual(before);
          else expect(await snapshot(id)).toEqual(before);
        }
      });

      it(`${m.action} as ${actor}, everyone in one job`, async () => {
        const ids = await Promise.all(TARGETS.map((k) => target(k, actor)));
        for (const id of ids) await m.prepare?.(id);
        const before = await Promise.all(ids.map(snapshot));
        const answer = await massAction(actors[actor].client, m.action, ids);
        expect(answer).toEqual({ status: 202, outcomes: m.expect[actor] });
        for (const [i, id] of ids.entries()) {
          if (m.expect[actor][i] !== "done") expect(await snapshot(id)).toEqual(before[i]);
        }
      });
    }

    it(`${m.action} as auditor: refused before anything is read`, async () => {
      const id = await target("inside", "auditor");
      const before = await snapshot(id);
      expect(await massAction(actors.auditor.client, m.action, [id])).toEqual({ status: 403, code: "read_only" });
      expect(await snapshot(id)).toEqual(before);
    });
  }
});
