/**
 * Replays Okta's Group Push to /Groups over HTTP only, with the bodies copied from Okta's SCIM 2.0 reference (O20,
 * "Create Groups", "Update a specific Group name", "Update specific Group membership", "Delete a specific Group").
 * Statement ids (O8-O11) refer to /work/shared/idp-behaviours.md.
 */
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, PATCH_OP, buildScimUser, uniqueGroupName } from "../support/factories";
import { expectPatchOk, expectScimError, expectScimJson, type Json, LIST_URN } from "../support/scim-assertions";

const OKTA_UA = "Okta SCIM Client 1.0.0";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const oktaPatch = (...Operations: Json[]) => ({ schemas: [PATCH_OP], Operations });
/** Okta sends the rename with the group's id on every membership update (O9). */
const rename = (id: string, displayName: string) => ({ op: "replace", value: { id, displayName } });

async function pushGroup(displayName = uniqueGroupName("Okta")): Promise<Json> {
  const res = await t.scim
    .post("/Groups", { schemas: [GROUP_SCHEMA], displayName, members: [] })
    .set("User-Agent", OKTA_UA);
  expect(res.status).toBe(201);
  return res.body;
}

async function user(): Promise<Json> {
  return (await t.scim.post("/Users", buildScimUser({ displayName: `Person ${randomUUID().slice(0, 8)}` })).expect(201))
    .body;
}

const getGroup = async (id: string) => {
  const res = await t.scim.get(`/Groups/${id}`).set("User-Agent", OKTA_UA);
  expect(res.status).toBe(200);
  expectScimJson(res);
  return res.body as Json;
};
const memberIds = (g: Json) => (g.members as Json[]).map((m) => m.value).sort();

describe("Okta: Group Push", () => {
  it("O8: POST /Groups {displayName, members: []} is 201 with id, Location and meta; the group is listed and readable", async () => {
    const displayName = uniqueGroupName("Okta");
    const res = await t.scim
      .post("/Groups", { schemas: [GROUP_SCHEMA], displayName, members: [] })
      .set("User-Agent", OKTA_UA);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName,
      members: [],
      meta: { resourceType: "Group" },
    });
    expect(res.headers.location).toBe(res.body.meta.location);
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Groups/${res.body.id}$`));

    const list = await t.scim.get("/Groups?startIndex=1&count=100").set("User-Agent", OKTA_UA);
    expect(list.status).toBe(200);
    expectScimJson(list);
    expect(list.body).toMatchObject({ schemas: [LIST_URN], startIndex: 1 });
    expect(typeof list.body.totalResults).toBe("number");
    expect(list.body.Resources.map((g: Json) => g.id)).toContain(res.body.id);
    expect(await getGroup(res.body.id)).toMatchObject({ id: res.body.id, displayName, members: [] });
  });

  it("O9: a rename is PATCH replace with a path-less {id, displayName} value; the id is accepted and kept", async () => {
    const group = await pushGroup();
    const displayName = uniqueGroupName("Renamed");
    const res = await t.scim
      .patch(`/Groups/${group.id}`, oktaPatch(rename(group.id, displayName)))
      .set("User-Agent", OKTA_UA);
    expectPatchOk(res);
    const after = await getGroup(group.id);
    expect(after).toMatchObject({ id: group.id, displayName });
    expect(after.meta.version).toBe('W/"2"');
  });

  it('O10: one PATCH mixes the rename, a remove by members[value eq "id"] and an add of [{value, display}]; it applies as a whole', async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const group = await pushGroup();
    expectPatchOk(
      await t.scim.patch(
        `/Groups/${group.id}`,
        oktaPatch(rename(group.id, group.displayName), {
          op: "add",
          path: "members",
          value: [
            { value: a.id, display: a.userName },
            { value: b.id, display: b.userName },
          ],
        }),
      ),
    );
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      oktaPatch(
        rename(group.id, `${group.displayName} (2)`),
        { op: "remove", path: `members[value eq "${a.id}"]` },
        { op: "add", path: "members", value: [{ value: c.id, display: c.userName }] },
      ),
    );
    expectPatchOk(res);
    const after = await getGroup(group.id);
    expect(after.displayName).toBe(`${group.displayName} (2)`);
    expect(memberIds(after)).toEqual([b.id, c.id].sort());
    expect(after.members.find((m: Json) => m.value === c.id)).toEqual({
      value: c.id,
      display: c.displayName,
      $ref: expect.stringMatching(new RegExp(`/Users/${c.id}$`)),
      type: "User",
    });
  });

  it("O10: a full push is replace on members; it leaves exactly the listed members, and 204 carries no body", async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const group = await pushGroup();
    await t.scim.patch(
      `/Groups/${group.id}`,
      oktaPatch({ op: "add", path: "members", value: [{ value: a.id }, { value: b.id }] }),
    );
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      oktaPatch(rename(group.id, group.displayName), {
        op: "replace",
        path: "members",
        value: [{ value: b.id }, { value: c.id }],
      }),
    );
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(memberIds(await getGroup(group.id))).toEqual([b.id, c.id].sort());
  });

  it("O10: adding an existing member again is idempotent (no duplicate, no membership.added record)", async () => {
    const a = await user();
    const group = await pushGroup();
    const add = oktaPatch({ op: "add", path: "members", value: [{ value: a.id, display: a.userName }] });
    expectPatchOk(await t.scim.patch(`/Groups/${group.id}`, add));
    expectPatchOk(await t.scim.patch(`/Groups/${group.id}`, add));
    const after = await getGroup(group.id);
    expect(memberIds(after)).toEqual([a.id]);
    expect(after.meta.version).toBe('W/"2"');
  });

  it("an unknown member id in a push is skipped (Okta does not retry a 400): the known ids still apply", async () => {
    const a = await user();
    const group = await pushGroup();
    const ghost = randomUUID();
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      oktaPatch({
        op: "add",
        path: "members",
        value: [{ value: ghost }, { value: a.id }, { value: "00u1ab2cd3EF4gh5i6j7" }],
      }),
    );
    expectPatchOk(res);
    expect(memberIds(await getGroup(group.id))).toEqual([a.id]);
  });

  it("O11: DELETE /Groups/{id} is 204; the group is then 404 and its members are still users", async () => {
    const a = await user();
    const group = await pushGroup();
    await t.scim.patch(`/Groups/${group.id}`, oktaPatch({ op: "add", path: "members", value: [{ value: a.id }] }));
    const res = await t.scim.delete(`/Groups/${group.id}`).set("User-Agent", OKTA_UA);
    expect(res.status).toBe(204);
    expectScimError(await t.scim.get(`/Groups/${group.id}`), 404);
    const read = (await t.scim.get(`/Users/${a.id}`).expect(200)).body;
    expect(read.groups).toBeUndefined();
  });

  it("the whole Group Push sequence: create, list, rename with members, full push, unlink", async () => {
    const people = [await user(), await user(), await user(), await user()];
    const group = await pushGroup();
    const page = (await t.scim.get("/Groups?startIndex=1&count=100").expect(200)).body;
    expect(page.Resources.some((g: Json) => g.id === group.id)).toBe(true);

    const name2 = uniqueGroupName("Engineering");
    expectPatchOk(
      await t.scim.patch(
        `/Groups/${group.id}`,
        oktaPatch(rename(group.id, name2), {
          op: "add",
          path: "members",
          value: people.slice(0, 3).map((p) => ({ value: p.id, display: p.userName })),
        }),
      ),
    );
    expectPatchOk(
      await t.scim.patch(
        `/Groups/${group.id}`,
        oktaPatch(
          rename(group.id, name2),
          { op: "remove", path: `members[value eq "${people[0].id}"]` },
          { op: "add", path: "members", value: [{ value: people[3].id, display: people[3].userName }] },
        ),
      ),
    );
    let read = await getGroup(group.id);
    expect(read.displayName).toBe(name2);
    expect(memberIds(read)).toEqual(
      people
        .slice(1)
        .map((p) => p.id)
        .sort(),
    );
    const member = (await t.scim.get(`/Users/${people[3].id}`).expect(200)).body;
    expect(member.groups).toEqual([
      { value: group.id, display: name2, $ref: expect.stringMatching(new RegExp(`/Groups/${group.id}$`)) },
    ]);

    expectPatchOk(
      await t.scim.patch(
        `/Groups/${group.id}`,
        oktaPatch(rename(group.id, name2), { op: "replace", path: "members", value: [{ value: people[0].id }] }),
      ),
    );
    read = await getGroup(group.id);
    expect(memberIds(read)).toEqual([people[0].id]);

    expect((await t.scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expectScimError(await t.scim.get(`/Groups/${group.id}`), 404);
    const audit = await t.ds.query(
      "SELECT action FROM audit_events WHERE target_type = 'group' AND target_id = $1 ORDER BY id",
      [group.id],
    );
    expect(audit.map((r: Json) => r.action)).toEqual([
      "group.created",
      "group.updated",
      "membership.added",
      "membership.removed",
      "membership.added",
      // The full push removed three members and added back the one removed before.
      "membership.removed",
      "membership.added",
      "group.deleted",
    ]);
  });
});
