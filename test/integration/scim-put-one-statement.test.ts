import type { Ctx } from "../../src/domain/context";
import type { UserUpdates } from "../../src/domain/users/users-update";
import { declareScimResources } from "../../src/http/scim/scimmy";
import { parseUserBody } from "../../src/http/scim/user-input";
import { startTestApp, type TestApp } from "../support/app";
import { ENTERPRISE, buildScimUser, uniqueName } from "../support/factories";

// Decision 0132: a SCIM PUT is one statement when it can be, its audit diff computed in SQL. It must give exactly what
// the general update gives (UsersService.update, diffFields over auditView in JS): the same user, the same audit
// records (keys, values) and outbox events (fields in the same order), the same no-op. Two users with the same data
// go through the same bodies, one by each path.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  declareScimResources({ maxResults: 100, bulk: { maxOperations: 10, maxPayloadSize: 1_000_000 } });
});
afterAll(async () => t.close());

const ctx = (): Ctx => ({ actor: { type: "token", id: null, name: "idp" }, door: "scim", requestId: "put-test" });
type Json = Record<string, unknown>;

/** The bodies of a run, in order; `userName` and `externalId` are filled in per user. */
const bodies = (extra: Json): Json[] => [
  buildScimUser({ ...extra, name: { givenName: "Ann", familyName: "Smith" }, title: "Lead" }),
  buildScimUser({ ...extra, name: { givenName: "Ann", familyName: "Smith" }, title: "Lead" }),
  buildScimUser({
    ...extra,
    active: false,
    // preferredLanguage is admin-owned by default (decision 0103): kept, and named in ignoredAttributes.
    preferredLanguage: "fr",
    name: { givenName: "Ann", familyName: "Smith", formatted: "Ann Smith" },
    emails: [
      { value: `b.${extra.userName}`, type: "work" },
      { value: extra.userName, type: "work", primary: true },
    ],
    phoneNumbers: [{ value: "+1 555 0100", type: "mobile" }],
    addresses: [{ streetAddress: "1 Road", type: "work" }],
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    [ENTERPRISE]: { department: "Sales", manager: { value: "m-1" } },
  }),
  buildScimUser({
    ...extra,
    active: true,
    ims: [{ value: "ann", type: "xmpp" }],
    roles: [{ value: "r1", type: "any" }],
    addresses: [],
  }),
  buildScimUser({ ...extra, userName: String(extra.userName).toUpperCase(), active: false }),
];

async function create(): Promise<{ id: string; userName: string }> {
  const userName = uniqueName("put");
  const body = buildScimUser({
    userName,
    externalId: "x",
    title: "Engineer",
    locale: "en-GB",
    photos: [{ value: "https://example.com/p.png" }],
  });
  const id = (await t.scim.post("/Users", body).expect(201)).body.id;
  return { id, userName };
}

async function traceOf(id: string) {
  const audits = await t.ds.query(
    "SELECT action, door, changes FROM audit_events WHERE target_id = $1 AND action <> 'user.created' ORDER BY id",
    [id],
  );
  const events = await t.ds.query(
    `SELECT type, data - 'userId' AS data, door, request_id FROM events WHERE subject_id = $1 AND type <> 'user.created' ORDER BY seq`,
    [id],
  );
  const queued = await t.ds.query(
    `SELECT topic, payload - 'userId' AS payload FROM outbox WHERE payload->>'userId' = $1 ORDER BY id`,
    [id],
  );
  const [row] = await t.ds.query(
    `SELECT version, active, title, emails, extras, department, family_name, last_pushed_at IS NOT NULL AS pushed,
            lower(user_name) = lower($2) AS same_name FROM users WHERE id = $1`,
    [id, (await t.ds.query("SELECT user_name FROM users WHERE id = $1", [id]))[0].user_name],
  );
  return { audits, events, queued, row };
}

describe("SCIM PUT in one statement gives what the general update gives", () => {
  it("through a change, a no-op, a leave with many fields, a return, a rename", async () => {
    const fast = await create();
    const general = await create();
    const updates = (t.services.users as unknown as { updates: UserUpdates }).updates;
    const fastBodies = bodies({ userName: fast.userName, externalId: "x" });
    const generalBodies = bodies({ userName: general.userName, externalId: "x" });
    for (let i = 0; i < fastBodies.length; i++) {
      const a = parseUserBody(fastBodies[i]);
      const b = parseUserBody(generalBodies[i]);
      const applied = await updates.replaceAlone(ctx(), fast.id, a);
      // The second body repeats the first: nothing to change, left to the general path's no-op.
      expect(applied === null).toBe(i === 1);
      if (!applied) await t.services.users.update(ctx(), fast.id, () => a);
      await t.services.users.update(ctx(), general.id, () => b);
      const [x, y] = [await traceOf(fast.id), await traceOf(general.id)];
      const strip = (s: typeof x) =>
        JSON.parse(JSON.stringify(s).replaceAll(fast.userName, "U").replaceAll(fast.userName.toUpperCase(), "UU"));
      const stripG = (s: typeof y) =>
        JSON.parse(
          JSON.stringify(s).replaceAll(general.userName, "U").replaceAll(general.userName.toUpperCase(), "UU"),
        );
      expect(strip(x)).toEqual(stripG(y));
    }
    const { audits, events, queued } = await traceOf(fast.id);
    expect(audits.map((r: { action: string }) => r.action)).toEqual([
      "user.updated",
      "user.updated",
      "user.deactivated",
      "user.updated",
      "user.reactivated",
      "user.updated",
      "user.deactivated",
    ]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(audits.map((r: { action: string }) => r.action));
    expect(events[1].data.fields).toEqual(expect.arrayContaining(["emails", "name.formatted", "addresses"]));
    // Only the leaves and the return have a consumer (decision 0156): the outbox holds those, in order.
    expect(queued.map((e: { topic: string }) => e.topic)).toEqual([
      "user.deactivated",
      "user.reactivated",
      "user.deactivated",
    ]);
    expect(audits[1].changes.ignoredAttributes).toEqual({
      before: null,
      after: ["preferredLanguage (owned by admins)"],
    });
  });

  it("over HTTP: If-Match, an unknown id, a removed user answer as before", async () => {
    const { id, userName } = await create();
    const body = buildScimUser({ userName, title: "Changed" });
    expect((await t.scim.put(`/Users/${id}`, body).set("If-Match", 'W/"99"')).status).toBe(412);
    const version = (await t.scim.get(`/Users/${id}`).expect(200)).body.meta.version;
    const ok = await t.scim.put(`/Users/${id}`, body).set("If-Match", version).expect(200);
    expect(ok.body.title).toBe("Changed");
    expect((await t.scim.put("/Users/00000000-0000-4000-8000-000000000000", body)).status).toBe(404);
    await t.scim.delete(`/Users/${id}`).expect(204);
    expect((await t.scim.put(`/Users/${id}`, body)).status).toBe(404);
  });

  it("concurrent PUTs of one person: each applied in turn against the row it replaced", async () => {
    const { id, userName } = await create();
    const titles = ["t1", "t2", "t3", "t4", "t5", "t6"];
    await Promise.all(
      titles.map((title) => t.scim.put(`/Users/${id}`, buildScimUser({ userName, title })).expect(200)),
    );
    const { audits } = await traceOf(id);
    // Each audit's before is the previous one's after: no write was diffed against a stale row.
    const changes = audits.map((a: { changes: { title: { before: string; after: string } } }) => a.changes.title);
    expect(changes[0].before).toBe("Engineer");
    for (let i = 1; i < changes.length; i++) expect(changes[i].before).toBe(changes[i - 1].after);
    expect(changes.length).toBeLessThanOrEqual(titles.length);
  });

  it("a userName another person holds is 409, as on the general path", async () => {
    const a = await create();
    const b = await create();
    const res = await t.scim.put(`/Users/${b.id}`, buildScimUser({ userName: a.userName.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body.scimType).toBe("uniqueness");
  });
});
