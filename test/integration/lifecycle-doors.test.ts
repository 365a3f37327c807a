import { entity, letters } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";
import { scimGroup } from "../support/group-fixtures";
import { mailTo } from "../support/invitation-links";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

// Deactivation on leave and reactivation, door by door: the person's state after leaving and after coming back (role,
// entity, groups), their open invitation revoked by the worker, and the outbox rows and audit records of each.
let t: TestApp;
let sink: SmtpSink;
let site: string;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ AUTH_RATE_LIMIT_PER_MINUTE: "100000" }));
  site = await entity(t, `Site ${letters()}`);
});
afterAll(async () => t.close());

interface Leaver {
  id: string;
  userName: string;
  scim: Record<string, unknown>;
  groups: string[];
}

/** A SCIM-managed person an admin made an auditor placed in an entity, a member of two groups, invited (link open). */
async function leaver(): Promise<Leaver> {
  const userName = `leaver.${letters(8)}@corp.test`;
  const scim = (await t.scim.post("/Users", buildScimUser({ userName })).expect(201)).body;
  await t.admin.patch(`/users/${scim.id}`, { role: "auditor", entityId: site }).expect(200);
  const groups = [await scimGroup(t), await scimGroup(t)].sort();
  for (const g of groups) {
    await t.scim
      .patch(`/Groups/${g}`, patchOp({ op: "add", path: "members", value: [{ value: scim.id }] }))
      .expect(204);
  }
  await t.admin.post(`/users/${scim.id}/invitation`).expect(202);
  await mailTo(sink, userName);
  return { id: scim.id, userName, scim, groups };
}

async function stateOf(id: string) {
  const [u] = await t.ds.query(
    `SELECT active, removed_at IS NOT NULL AS removed, system_role AS role, entity_id AS "entityId",
            ARRAY(SELECT group_id::text FROM group_members WHERE user_id = u.id ORDER BY group_id) AS groups
     FROM users u WHERE id = $1`,
    [id],
  );
  return u;
}

const lifecycleTopics = async (id: string) =>
  (
    await t.ds.query(
      `SELECT topic, payload->>'door' AS door FROM outbox WHERE payload->>'userId' = $1
       AND topic IN ('user.deactivated', 'user.reactivated', 'user.deleted') ORDER BY id`,
      [id],
    )
  ).map((r: { topic: string; door: string }) => `${r.topic}@${r.door}`);

const lifecycleAudits = async (id: string) =>
  (
    await t.ds.query(
      `SELECT action, door FROM audit_events WHERE target_id = $1
       AND action IN ('user.deactivated', 'user.reactivated', 'user.deleted', 'user.restored') ORDER BY id`,
      [id],
    )
  ).map((r: { action: string; door: string }) => `${r.action}@${r.door}`);

const invitationRevoked = (id: string) =>
  eventually(
    async () => {
      const rows = await t.ds.query("SELECT revoked_at FROM invitations WHERE user_id = $1", [id]);
      return rows.length === 1 && rows[0].revoked_at !== null;
    },
    10_000,
    "the open invitation revoked",
  );

async function bulkActive(p: Leaver, active: boolean) {
  const res = await t.scim
    .post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "PATCH", path: `/Users/${p.id}`, data: patchOp({ op: "replace", path: "active", value: active }) },
      ],
    })
    .expect(200);
  expect(res.body.Operations[0].status).toBe("200");
}

/** A door's leave and return, and what it does to the person in between. */
interface Door {
  name: string;
  door: "scim" | "admin";
  leave(p: Leaver): Promise<unknown>;
  back(p: Leaver): Promise<unknown>;
}

const DOORS: Door[] = [
  {
    name: "SCIM PATCH active",
    door: "scim",
    leave: (p) => t.scim.patch(`/Users/${p.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200),
    back: (p) => t.scim.patch(`/Users/${p.id}`, patchOp({ op: "replace", path: "active", value: true })).expect(200),
  },
  {
    name: "SCIM PUT active",
    door: "scim",
    leave: (p) => t.scim.put(`/Users/${p.id}`, buildScimUser({ userName: p.userName, active: false })).expect(200),
    back: (p) => t.scim.put(`/Users/${p.id}`, buildScimUser({ userName: p.userName, active: true })).expect(200),
  },
  {
    name: "SCIM Bulk PATCH active",
    door: "scim",
    leave: (p) => bulkActive(p, false),
    back: (p) => bulkActive(p, true),
  },
  {
    name: "admin deactivate / activate",
    door: "admin",
    leave: (p) => t.admin.post(`/users/${p.id}/deactivate`).expect(200),
    back: (p) => t.admin.post(`/users/${p.id}/activate`).expect(200),
  },
  {
    name: "admin mass action disable / enable",
    door: "admin",
    leave: async (p) => {
      const res = await t.admin.post("/users/actions", { action: "disable", ids: [p.id] }).expect(200);
      expect(res.body.results).toEqual([{ id: p.id, outcome: "done" }]);
    },
    back: async (p) => {
      const res = await t.admin.post("/users/actions", { action: "enable", ids: [p.id] }).expect(200);
      expect(res.body.results).toEqual([{ id: p.id, outcome: "done" }]);
    },
  },
];

describe.each(DOORS)("a leave and a return through $name", (d) => {
  it("keeps role, entity and groups while deactivated, revokes the open link, and gives everything back", async () => {
    const p = await leaver();
    const before = await stateOf(p.id);
    expect(before).toEqual({ active: true, removed: false, role: "auditor", entityId: site, groups: p.groups });

    await d.leave(p);
    expect(await stateOf(p.id)).toEqual({ ...before, active: false });
    await invitationRevoked(p.id);
    expect(await lifecycleTopics(p.id)).toEqual([`user.deactivated@${d.door}`]);
    expect(await lifecycleAudits(p.id)).toEqual([`user.deactivated@${d.door}`]);

    await d.back(p);
    expect(await stateOf(p.id)).toEqual(before);
    expect(await lifecycleTopics(p.id)).toEqual([`user.deactivated@${d.door}`, `user.reactivated@${d.door}`]);
    expect(await lifecycleAudits(p.id)).toEqual([`user.deactivated@${d.door}`, `user.reactivated@${d.door}`]);
    // The link stays dead after the return: a new invitation is needed.
    expect((await t.admin.get(`/users/${p.id}/invitation`).expect(200)).body.status).toBe("revoked");
  });
});

describe("a leave and a return through SCIM DELETE, then the IdP creating the userName again", () => {
  it("leaves every group on removal and comes back with the previous role, entity and groups", async () => {
    const p = await leaver();
    const before = await stateOf(p.id);
    await t.scim.delete(`/Users/${p.id}`).expect(204);
    expect(await stateOf(p.id)).toEqual({ ...before, active: false, removed: true, groups: [] });
    await invitationRevoked(p.id);
    expect(await lifecycleTopics(p.id)).toEqual(["user.deactivated@scim", "user.deleted@scim"]);
    expect(await lifecycleAudits(p.id)).toEqual(["user.deactivated@scim", "user.deleted@scim"]);

    // One of the groups is deleted meanwhile: the return skips it.
    await t.scim.delete(`/Groups/${p.groups[1]}`).expect(204);
    const back = await t.scim.post("/Users", buildScimUser({ userName: p.userName })).expect(201);
    expect(back.body.id).toBe(p.id);
    expect(back.body.groups.map((g: { value: string }) => g.value)).toEqual([p.groups[0]]);
    expect(await stateOf(p.id)).toEqual({ ...before, groups: [p.groups[0]] });
    expect(await lifecycleTopics(p.id)).toEqual([
      "user.deactivated@scim",
      "user.deleted@scim",
      "user.reactivated@scim",
    ]);
    expect(await lifecycleAudits(p.id)).toEqual([
      "user.deactivated@scim",
      "user.deleted@scim",
      "user.restored@scim",
      "user.reactivated@scim",
    ]);
    const [rejoined] = await t.ds.query(
      "SELECT door, changes FROM audit_events WHERE action = 'membership.added' AND target_id = $1 ORDER BY id DESC LIMIT 1",
      [p.groups[0]],
    );
    expect(rejoined).toEqual({ door: "scim", changes: { members: [p.id] } });
    const [row] = await t.ds.query("SELECT leave_snapshot FROM users WHERE id = $1", [p.id]);
    expect(row.leave_snapshot).toBeNull();
  });

  it("a person removed while deactivated sends no second user.deactivated, and comes back deactivated if so pushed", async () => {
    const p = await leaver();
    await t.scim.patch(`/Users/${p.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200);
    await t.scim.delete(`/Users/${p.id}`).expect(204);
    await t.scim.post("/Users", buildScimUser({ userName: p.userName, active: false })).expect(201);
    expect(await lifecycleTopics(p.id)).toEqual(["user.deactivated@scim", "user.deleted@scim"]);
    expect(await stateOf(p.id)).toMatchObject({ active: false, removed: false, role: "auditor", groups: p.groups });
  });
});
