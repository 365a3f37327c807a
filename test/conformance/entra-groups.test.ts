/**
 * Replays what Microsoft Entra ID sends to /Groups, over HTTP only, with the bodies copied from Microsoft's docs
 * (use-scim-to-provision-users-and-groups.md "Group Operations", application-provisioning-config-problem-scim-compatibility.md).
 * Statement ids (E12-E17) refer to /work/shared/idp-behaviours.md.
 */
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, PATCH_OP, buildScimUser, uniqueGroupName } from "../support/factories";
import { expectScimError, expectScimJson, type Json, LIST_URN } from "../support/scim-assertions";

const ADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const entraPatch = (...Operations: Json[]) => ({ schemas: [PATCH_OP], Operations });

/** The UG "Create Group" request body, verbatim apart from the unique values. */
const entraGroupBody = (displayName = uniqueGroupName("Entra")): Json => ({
  schemas: [GROUP_SCHEMA, ADSCIM],
  externalId: randomUUID(),
  displayName,
  meta: { resourceType: "Group" },
});

async function entraCreateGroup(body = entraGroupBody()): Promise<Json> {
  const res = await t.scim.post("/Groups", body);
  expect(res.status).toBe(201);
  return res.body;
}

const user = async () => (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
const members = async (id: string) =>
  ((await t.scim.get(`/Groups/${id}`).expect(200)).body.members as Json[]).map((m) => m.value).sort();

describe("Entra ID: group provisioning", () => {
  it("Test Connection: GET of a random non-existent group id is 404 with the SCIM Error schema", async () => {
    for (const id of [randomUUID(), "5171a35d82074e068ce2"]) expectScimError(await t.scim.get(`/Groups/${id}`), 404);
  });

  it("E12: POST /Groups with the extra ADSCIM schema URN and meta is 201 with id, externalId and members: []", async () => {
    const body = entraGroupBody();
    const res = await t.scim.post("/Groups", body);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName: body.displayName,
      externalId: body.externalId,
      members: [],
    });
    expect(res.body.meta).toMatchObject({
      resourceType: "Group",
      created: expect.any(String),
      lastModified: expect.any(String),
    });
  });

  it("E13: GET /Groups/{id}?excludedAttributes=members and the displayName eq filter with excludedAttributes=members work", async () => {
    const a = await user();
    const group = await entraCreateGroup();
    await t.scim
      .patch(`/Groups/${group.id}`, entraPatch({ op: "Add", path: "members", value: [{ $ref: null, value: a.id }] }))
      .expect(204);
    const one = await t.scim.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(one.status).toBe(200);
    expectScimJson(one);
    expect(one.body).toMatchObject({ id: group.id, displayName: group.displayName });
    expect(one.body.members).toBeUndefined();
    const filter = encodeURIComponent(`displayName eq "${group.displayName}"`);
    const list = await t.scim.get(`/Groups?excludedAttributes=members&filter=${filter}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, itemsPerPage: 1 });
    expect(list.body.Resources[0]).toMatchObject({ id: group.id, displayName: group.displayName });
    expect(list.body.Resources[0].members).toBeUndefined();
  });

  it("E13: the displayName filter matches case-insensitively (Entra matches groups by name)", async () => {
    const group = await entraCreateGroup();
    const filter = encodeURIComponent(`DisplayName eq "${group.displayName.toUpperCase()}"`);
    const list = (await t.scim.get(`/Groups?excludedAttributes=members&filter=${filter}`).expect(200)).body;
    expect(list.Resources.map((g: Json) => g.id)).toEqual([group.id]);
  });

  it('E14: member add is PATCH {op: "Add", path: "members", value: [{$ref: null, value}]} answered 204', async () => {
    const [a, b] = [await user(), await user()];
    const group = await entraCreateGroup();
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      entraPatch({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: a.id },
          { $ref: null, value: b.id },
        ],
      }),
    );
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await members(group.id)).toEqual([a.id, b.id].sort());
  });

  it('E15: remove with a value list (default) and remove by members[value eq "id"] (aadOptscim062020) each remove only the listed member', async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const group = await entraCreateGroup();
    await t.scim
      .patch(
        `/Groups/${group.id}`,
        entraPatch({ op: "Add", path: "members", value: [a, b, c].map((u) => ({ $ref: null, value: u.id })) }),
      )
      .expect(204);
    await t.scim
      .patch(`/Groups/${group.id}`, entraPatch({ op: "Remove", path: "members", value: [{ $ref: null, value: a.id }] }))
      .expect(204);
    expect(await members(group.id)).toEqual([b.id, c.id].sort());
    await t.scim
      .patch(`/Groups/${group.id}`, entraPatch({ op: "remove", path: `members[value eq "${b.id}"]` }))
      .expect(204);
    expect(await members(group.id)).toEqual([c.id]);
  });

  it("E16: every group PATCH answers 204 No Content, including a non-member attribute Replace", async () => {
    const group = await entraCreateGroup();
    const displayName = `${randomUUID()}updatedDisplayName`;
    const res = await t.scim.patch(
      `/Groups/${group.id}`,
      entraPatch({ op: "Replace", path: "displayName", value: displayName }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.etag).toBe('W/"2"');
    expect((await t.scim.get(`/Groups/${group.id}?excludedAttributes=members`).expect(200)).body.displayName).toBe(
      displayName,
    );
  });

  it("E17: displayName is unique case-insensitively: a second create and a rename onto a taken name are 409 uniqueness", async () => {
    const first = await entraCreateGroup();
    const dup = await t.scim.post("/Groups", entraGroupBody(first.displayName.toLowerCase()));
    expectScimError(dup, 409);
    expect(dup.body.scimType).toBe("uniqueness");
    expect(dup.body.detail).toMatch(/displayName/);
    const other = await entraCreateGroup();
    const rename = await t.scim.patch(
      `/Groups/${other.id}`,
      entraPatch({ op: "Replace", path: "displayName", value: first.displayName.toUpperCase() }),
    );
    expectScimError(rename, 409);
    expect((await t.scim.get(`/Groups/${other.id}?excludedAttributes=members`).expect(200)).body.displayName).toBe(
      other.displayName,
    );
  });

  it("the Entra group sequence: lookup by name, create, add, remove, rename, delete", async () => {
    const [a, b] = [await user(), await user()];
    const body = entraGroupBody();
    const lookup = () =>
      t.scim.get(
        `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${body.displayName}"`)}`,
      );
    expect((await lookup().expect(200)).body.totalResults).toBe(0);
    const group = await entraCreateGroup(body);
    expect((await lookup().expect(200)).body.Resources[0].id).toBe(group.id);
    await t.scim
      .patch(
        `/Groups/${group.id}`,
        entraPatch({
          op: "Add",
          path: "members",
          value: [
            { $ref: null, value: a.id },
            { $ref: null, value: b.id },
          ],
        }),
      )
      .expect(204);
    await t.scim
      .patch(`/Groups/${group.id}`, entraPatch({ op: "Remove", path: "members", value: [{ $ref: null, value: a.id }] }))
      .expect(204);
    await t.scim
      .patch(`/Groups/${group.id}`, entraPatch({ op: "Replace", path: "externalId", value: "moved" }))
      .expect(204);
    const read = (await t.scim.get(`/Groups/${group.id}`).expect(200)).body;
    expect(read).toMatchObject({ externalId: "moved", members: [{ value: b.id, display: b.userName }] });
    expect(read.meta.version).toBe('W/"4"');
    await t.scim.delete(`/Groups/${group.id}`).expect(204);
    expect((await lookup().expect(200)).body.totalResults).toBe(0);
  });
});
