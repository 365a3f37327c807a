/**
 * RFC 7643 §2.4 multi-valued attributes: `primary: true` at most once, any number of values of one `type`, and
 * `type` strings beyond the canonical ones (they are suggestions, §2.3.1 / §4.1.2).
 */
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";
import { expectPatchOk, expectScimError, type Json } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("RFC 7643 §2.4: multi-valued attributes", () => {
  it("RFC 7643 §2.4: two values of the same type (emails, phoneNumbers, addresses, ims) are accepted and kept in order", async () => {
    const body = buildScimUser();
    const emails = [
      { value: body.userName, type: "work", primary: true },
      { value: `second.${body.userName}`, type: "work" },
    ];
    const phoneNumbers = [
      { value: "+1 555 0100", type: "work" },
      { value: "+1 555 0101", type: "work" },
    ];
    const addresses = [
      { type: "work", streetAddress: "1 Main St" },
      { type: "work", streetAddress: "2 Side St" },
    ];
    const ims = [
      { value: "a", type: "xmpp" },
      { value: "b", type: "xmpp" },
    ];
    const res = await t.scim.post("/Users", { ...body, emails, phoneNumbers, addresses, ims });
    expect(res.status).toBe(201);
    const read = (await t.scim.get(`/Users/${res.body.id}`).expect(200)).body as Json;
    expect(read.emails).toEqual(emails);
    expect(read.phoneNumbers).toEqual(phoneNumbers);
    expect(read.addresses).toEqual(addresses);
    expect(read.ims).toEqual(ims);
  });

  it("RFC 7643 §2.4: two values with primary: true are refused with 400 invalidValue naming the attribute", async () => {
    const body = buildScimUser();
    const res = await t.scim.post("/Users", {
      ...body,
      phoneNumbers: [
        { value: "1", type: "work", primary: true },
        { value: "2", type: "home", primary: true },
      ],
    });
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidValue");
    expect(res.body.detail).toMatch(/phoneNumbers/);
  });

  it("RFC 7643 §2.3.1: a type outside the canonical values is accepted in POST, PUT and PATCH", async () => {
    const body = buildScimUser({
      emails: [{ value: "x@example.test", type: "pager" }],
      phoneNumbers: [{ value: "1", type: "satellite" }],
    });
    const created = await t.scim.post("/Users", body);
    expect(created.status).toBe(201);
    expect(created.body.emails).toEqual([{ value: "x@example.test", type: "pager" }]);
    const put = await t.scim.put(`/Users/${created.body.id}`, {
      ...body,
      addresses: [{ type: "holiday", locality: "Nice" }],
    });
    expect(put.status).toBe(200);
    expect(put.body.addresses).toEqual([{ type: "holiday", locality: "Nice" }]);
    const patched = await t.scim.patch(
      `/Users/${created.body.id}`,
      patchOp({ op: "replace", path: 'emails[type eq "pager"].value', value: "y@example.test" }),
    );
    expectPatchOk(patched);
    const read = (await t.scim.get(`/Users/${created.body.id}`).expect(200)).body as Json;
    expect(read.emails).toEqual([{ value: "y@example.test", type: "pager" }]);
  });

  it("RFC 7644 §3.5.2.3 (Roster's choice, docs/decisions): a replace whose value filter matches nothing adds the value", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    const res = await t.scim.patch(
      `/Users/${created.id}`,
      patchOp({ op: "replace", path: 'emails[type eq "pager"].value', value: "p@example.test" }),
    );
    expectPatchOk(res);
    const read = (await t.scim.get(`/Users/${created.id}`).expect(200)).body as Json;
    expect(read.emails).toEqual([...created.emails, { type: "pager", value: "p@example.test" }]);
  });
});
