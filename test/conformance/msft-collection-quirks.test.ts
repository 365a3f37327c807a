/**
 * What Microsoft's SCIM test collection (AzureAD/SCIMReferenceCode PostmanCollection.json, run by
 * `npm run conformance:msft`) sends that Roster used to refuse: unknown attributes ignored, /serviceConfiguration,
 * bare member ids, and member errors that say what is wrong. The collection itself is not in this repository.
 */
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { GROUP_SCHEMA, USER_SCHEMA, buildScimUser, patchOp, uniqueGroupName, uniqueName } from "../support/factories";
import { expectScimError, type Json } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const audits = async (id: string) =>
  (await t.ds.query("SELECT action, changes FROM audit_events WHERE target_id = $1 ORDER BY id", [id])) as {
    action: string;
    changes: Json;
  }[];
const createGroup = async () =>
  (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: uniqueGroupName() }).expect(201)).body as Json;

describe("Microsoft's collection: User bodies", () => {
  it("Post User / Put a user misspelled attribute: an unknown attribute (`Adreses`) is ignored, and named in the audit record", async () => {
    const body = buildScimUser({ Adreses: [{ type: "work", country: "Germany" }], active: "True" });
    const created = await t.scim.post("/Users", body);
    expect(created.status).toBe(201);
    expect(created.body.active).toBe(true);
    expect(JSON.stringify(created.body)).not.toMatch(/adreses/i);
    const { Adreses: _sent, ...rest } = body;
    const put = await t.scim.put(`/Users/${created.body.id}`, {
      ...rest,
      displayName: "Kimberly Baker",
      adreses: [{ country: "bahams" }],
    });
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe("Kimberly Baker");
    expect(put.body.addresses).toBeUndefined();
    const records = await audits(created.body.id);
    expect(records.map((r) => r.action)).toEqual(["user.created", "user.updated"]);
    expect(records[0].changes.ignoredAttributes).toEqual({ before: null, after: ["Adreses"] });
    expect(records[1].changes.ignoredAttributes).toEqual({ before: null, after: ["adreses"] });
  });

  it("Post emp1: the collection's user (two work emails, null sub-attributes, client meta, seven-digit dates) is 201", async () => {
    const userName = uniqueName("emp1");
    const res = await t.scim.post("/Users", {
      userName,
      active: "True",
      displayName: "Kimberly Baker",
      addresses: [
        { type: "work", country: "Bermuda", primary: false },
        { type: "other", country: null, formatted: "18522 Lisa Unions", primary: false },
      ],
      emails: [
        { type: "work", primary: true, value: "anna33@gmail.com" },
        { type: "work", primary: false, value: "anna33@example.com" },
      ],
      meta: {
        created: "2019-09-18T18:15:26.5788954+00:00",
        lastModified: "2019-09-18T18:15:26.5788976+00:00",
        resourceType: "User",
      },
      name: { formatted: "Daniel Mcgee", familyName: "Employee", givenName: "Darl", honorificPrefix: null },
      schemas: [USER_SCHEMA],
    });
    expect(res.status).toBe(201);
    expect(res.body.emails).toHaveLength(2);
  });
});

describe("Microsoft's collection: discovery and groups", () => {
  it("Get ServiceProviderConfig: GET /serviceConfiguration answers as /ServiceProviderConfig", async () => {
    const alias = await t.scim.get("/serviceConfiguration").expect(200);
    const spc = await t.scim.get("/ServiceProviderConfig").expect(200);
    expect(alias.body).toEqual(spc.body);
    expect(alias.body.patch.supported).toBe(true);
  });

  it("Group patch add member: a member given as a bare id string is accepted (a known user added, an unknown id skipped)", async () => {
    const group = await createGroup();
    const user = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    expect(
      (await t.scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: user.id }))).status,
    ).toBe(204);
    expect(
      (
        await t.scim.patch(
          `/Groups/${group.id}`,
          patchOp({ op: "add", path: "members", value: ["string id 1", user.id] }),
        )
      ).status,
    ).toBe(204);
    const read = (await t.scim.get(`/Groups/${group.id}`).expect(200)).body as Json;
    expect(read.members.map((m: Json) => m.value)).toEqual([user.id]);
  });

  it.each([
    [[{ value: 42 }], "members[0].value is a number: it must be a user id string"],
    [[{ display: "x" }], 'members[0].value is missing: send {"value": "<user id>"}'],
    [[null], 'members[0] is null: send {"value": "<user id>"} or the user id as a string'],
    [[{ value: randomUUID() }, 7], 'members[1] is a number: send {"value": "<user id>"} or the user id as a string'],
    [[""], 'members[0] is an empty string: send a user id, or {"value": "<user id>"}'],
  ])("a malformed member %j is 400 invalidValue saying what is wrong", async (value, detail) => {
    const group = await createGroup();
    const res = await t.scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value }));
    expectScimError(res, 400);
    expect(res.body).toMatchObject({ scimType: "invalidValue", detail });
  });
});
