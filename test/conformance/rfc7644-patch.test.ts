/** RFC 7644 §3.5.2 PATCH behaviours IdPs rely on: add of a value already there, replace of a complex attribute. */
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";
import { expectPatchOk, type Json } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const read = async (id: string) => (await t.scim.get(`/Users/${id}`).expect(200)).body as Json;

describe("RFC 7644 §3.5.2.1 add", () => {
  it("RFC 7644 §3.5.2.1: add of an email already there (same value and type) is a no-op, not a refusal", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    const again = { value: created.emails[0].value, type: "work" };
    const res = await t.scim.patch(`/Users/${created.id}`, patchOp({ op: "add", path: "emails", value: [again] }));
    expectPatchOk(res);
    const after = await read(created.id);
    expect(after.emails).toEqual(created.emails);
  });

  it("RFC 7644 §3.5.2.1: a path-less add resending a phone number already there keeps one copy", async () => {
    const created = (
      await t.scim.post("/Users", buildScimUser({ phoneNumbers: [{ value: "+1 555 0100", type: "work" }] })).expect(201)
    ).body as Json;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "add", value: { phoneNumbers: [{ value: "+1 555 0100", type: "work" }] } }),
    );
    expectPatchOk(res);
    expect((await read(created.id)).phoneNumbers).toEqual([{ value: "+1 555 0100", type: "work" }]);
  });

  it("RFC 7644 §3.5.2.1: add of a new value of an existing type appends it", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "add", path: "emails", value: [{ value: "other@example.test", type: "work" }] }),
    );
    expectPatchOk(res);
    expect((await read(created.id)).emails).toEqual([...created.emails, { value: "other@example.test", type: "work" }]);
  });
});

describe("RFC 7644 §3.5.2.3 replace", () => {
  it('RFC 7644 §3.5.2.3: replace with path "name" and some sub-attributes keeps the others', async () => {
    const created = (
      await t.scim
        .post("/Users", buildScimUser({ name: { givenName: "Ada", familyName: "Lovelace", middleName: "King" } }))
        .expect(201)
    ).body as Json;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "replace", path: "name", value: { givenName: "Ann" } }),
    );
    expectPatchOk(res);
    expect((await read(created.id)).name).toMatchObject({
      givenName: "Ann",
      familyName: "Lovelace",
      middleName: "King",
    });
  });

  it("RFC 7644 §3.5.2.3: a path-less replace of name with some sub-attributes keeps the others", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "replace", value: { name: { familyName: "Byron" } } }),
    );
    expectPatchOk(res);
    expect((await read(created.id)).name).toMatchObject({ givenName: "Ada", familyName: "Byron" });
  });
});
