import SCIMMY from "scimmy";
import { normalisePatchBody } from "../../src/http/scim/dialect";
import {
  apply,
  currentUser,
  declareScimmyUser,
  ENT,
  type Json,
  opsOf,
  PATCH_OP,
  patch,
  type PatchRequest,
  USER,
} from "../support/scimmy-harness";

// PATCH paths: filters matching nothing, path-less dotted/URN keys, and shapes left for scimmy to reject.

beforeAll(declareScimmyUser);

describe("normalisePatchBody: filtered path with no matching element", () => {
  it('Entra\'s Add phoneNumbers[type eq "work"].value on a user without a work phone', async () => {
    const body = patch({ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "123" });
    await expect(
      new SCIMMY.Messages.PatchOp(body as PatchRequest).apply(new SCIMMY.Schemas.User(currentUser(), "out")),
    ).rejects.toMatchObject({ status: 400, scimType: "noTarget" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "add", path: "phoneNumbers", value: [{ type: "work", value: "123" }] },
    ]);
    expect((await apply(body))?.phoneNumbers).toEqual([{ value: "123", type: "work" }]);
  });

  it("replace too, with eq comparisons joined by and", async () => {
    const body = patch({ op: "replace", path: 'phoneNumbers[type eq "work" and primary eq true].value', value: "123" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "add", path: "phoneNumbers", value: [{ type: "work", primary: true, value: "123" }] },
    ]);
    expect((await apply(body))?.phoneNumbers).toEqual([{ value: "123", type: "work", primary: true }]);
  });

  it("a filter on the last segment with an object value", async () => {
    const body = patch({
      op: "add",
      path: 'addresses[type eq "work"]',
      value: { locality: "Columbus", primary: "True" },
    });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "add", path: "addresses", value: [{ type: "work", locality: "Columbus", primary: true }] },
    ]);
    expect((await apply(body))?.addresses).toEqual([
      { type: "home", locality: "Springfield", country: "US" },
      { type: "work", locality: "Columbus", primary: true },
    ]);
  });

  it("several ops on the same missing element create it once", async () => {
    const body = patch(
      { op: "Add", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
      { op: "Add", path: 'addresses[type eq "work"].locality', value: "Columbus" },
      { op: "Add", path: 'addresses[type eq "work"].postalCode', value: "43004" },
    );
    const ops = opsOf(normalisePatchBody(body, currentUser()));
    expect(ops[0]).toEqual({ op: "add", path: "addresses", value: [{ type: "work", streetAddress: "1 Main St" }] });
    expect(ops[1]).toEqual({ op: "add", path: 'addresses[type eq "work"].locality', value: "Columbus" });
    expect((await apply(body))?.addresses).toEqual([
      { type: "home", locality: "Springfield", country: "US" },
      { streetAddress: "1 Main St", locality: "Columbus", postalCode: "43004", type: "work" },
    ]);
  });

  it("takes earlier whole-attribute ops of the same request into account", () => {
    const body = patch(
      { op: "remove", path: "emails" },
      { op: "add", path: 'emails[type eq "work"].value', value: "new@contoso.com" },
    );
    expect(opsOf(normalisePatchBody(body, currentUser()))[1]).toEqual({
      op: "add",
      path: "emails",
      value: [{ type: "work", value: "new@contoso.com" }],
    });
  });

  it("leaves the op alone when the filter matches an element", async () => {
    const body = patch({ op: "Replace", path: 'emails[type eq "work"].value', value: "new@contoso.com" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "replace", path: 'emails[type eq "work"].value', value: "new@contoso.com" },
    ]);
    expect((await apply(body))?.emails).toEqual([{ value: "new@contoso.com", type: "work", primary: true }]);
  });

  it.each([
    'phoneNumbers[type eq "work" or type eq "mobile"].value',
    'phoneNumbers[type co "wor"].value',
    'phoneNumbers[not (type eq "work")].value',
    'phoneNumbers[type eq "work" and type eq "mobile"].value',
    "phoneNumbers[bogus].value",
    'phoneNumbers[nosuch eq "x"].value',
  ])("leaves %p unchanged (not only eq joined by and, or not parseable)", (path) => {
    const body = patch({ op: "add", path, value: "123" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "add", path, value: "123" }]);
  });

  it("spells attribute names canonically around the filter (scimmy needs that to find the target)", async () => {
    const body = patch({ op: "replace", path: 'Emails[Type eq "work"].Value', value: "z@contoso.com" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "replace", path: 'emails[Type eq "work"].value', value: "z@contoso.com" },
    ]);
    expect((await apply(body))?.emails).toEqual([{ value: "z@contoso.com", type: "work", primary: true }]);
  });
});

describe("normalisePatchBody: path-less dotted and URN keys (Entra aadOptscim062020)", () => {
  it("scimmy applies them once spelled canonically", async () => {
    const body = patch({
      op: "Replace",
      value: { "name.givenName": "Alicia", [`${ENT}:employeeNumber`]: "7", "NAME.FamilyName": "Smyth" },
    });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      {
        op: "replace",
        value: { "name.givenName": "Alicia", [`${ENT}:employeeNumber`]: "7", "name.familyName": "Smyth" },
      },
    ]);
    const out = await apply(body);
    expect(out?.name).toEqual({ givenName: "Alicia", familyName: "Smyth", formatted: "Alice Smith" });
    expect(((out as Json)[ENT] as Json).employeeNumber).toBe("7");
  });

  it("a core-URN-prefixed path, which scimmy alone rejects, becomes the plain name", async () => {
    const body = patch({ op: "replace", path: `${USER}:displayName`, value: "A. Smith" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "replace", path: "displayName", value: "A. Smith" },
    ]);
    expect((await apply(body))?.displayName).toBe("A. Smith");
  });
});

describe("normalisePatchBody: odd shapes are left for scimmy", () => {
  it.each([undefined, null, "text", 1, [], [patch()]])("returns %p unchanged without throwing", (body) => {
    expect(normalisePatchBody(body, currentUser())).toBe(body);
  });

  it("empty Operations stays empty (400 invalidValue)", async () => {
    expect(normalisePatchBody(patch(), currentUser())).toEqual(patch());
    await expect(apply(patch())).rejects.toMatchObject({ status: 400, scimType: "invalidValue" });
  });

  it("missing schemas stays missing (400 invalidSyntax)", async () => {
    const body = { Operations: [{ op: "Replace", path: "active", value: "False" }] };
    expect(normalisePatchBody(body, currentUser())).toEqual({
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    await expect(apply(body)).rejects.toMatchObject({ status: 400, scimType: "invalidSyntax" });
  });

  it("non-array Operations stays as it is (400 invalidValue)", async () => {
    const body = { schemas: [PATCH_OP], Operations: { op: "add" } };
    expect(normalisePatchBody(body, currentUser())).toEqual(body);
    await expect(apply(body)).rejects.toMatchObject({ status: 400, scimType: "invalidValue" });
  });

  it('accepts a lower-case "operations" key', () => {
    expect(
      normalisePatchBody(
        { schemas: [PATCH_OP], operations: [{ op: "Add", path: "nickName", value: "Al" }] },
        currentUser(),
      ),
    ).toEqual(patch({ op: "add", path: "nickName", value: "Al" }));
  });

  it.each([
    ["a string op", "add"],
    ["an op without op", { path: "active", value: "False" }],
    ["a remove without path", { op: "Remove", value: { active: null } }],
    ["an unknown path", { op: "replace", path: "favouriteColour", value: "blue" }],
    ["a non-object value without path", { op: "add", value: "x" }],
  ])("leaves %s for scimmy", (_label, op) => {
    const out = opsOf(normalisePatchBody(patch(op), currentUser()))[0];
    if (typeof op === "object" && "op" in op && typeof op.op === "string")
      expect(out).toEqual({ ...op, op: op.op.toLowerCase() });
    else expect(out).toEqual(op);
  });

  it("an unknown path is still rejected by scimmy (400 invalidPath)", async () => {
    await expect(apply(patch({ op: "replace", path: "favouriteColour", value: "blue" }))).rejects.toMatchObject({
      status: 400,
      scimType: "invalidPath",
    });
  });

  it("does not throw when current is not an object", () => {
    const body = patch({ op: "add", path: 'phoneNumbers[type eq "work"].value', value: "1" });
    expect(() => normalisePatchBody(body, undefined as unknown as Json)).not.toThrow();
  });

  it("never mutates the body or current", () => {
    const body = patch(
      { op: "Replace", path: "Active", value: "False" },
      { op: "replace", value: { [`${ENT}:manager`]: "" } },
    );
    const current = currentUser();
    const bodyCopy = JSON.parse(JSON.stringify(body)) as Json;
    const currentCopy = JSON.parse(JSON.stringify(current)) as Json;
    normalisePatchBody(patch({ op: "add", path: 'phoneNumbers[type eq "work"].value', value: "1" }), current);
    const out = normalisePatchBody(body, current);
    expect(out).not.toBe(body);
    expect(body).toEqual(bodyCopy);
    expect(current).toEqual(currentCopy);
  });
});
