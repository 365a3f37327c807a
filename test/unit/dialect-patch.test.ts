import SCIMMY from "scimmy";
import { normalisePatchBody } from "../../src/http/scim/dialect";
import {
  apply,
  currentUser,
  declareScimmyUser,
  ENT,
  type Json,
  opsOf,
  patch,
  type PatchRequest,
  USER,
} from "../support/scimmy-harness";

beforeAll(declareScimmyUser);

describe("normalisePatchBody: op names", () => {
  it.each([
    ["Add", "add"],
    ["Replace", "replace"],
    ["Remove", "remove"],
    ["REPLACE", "replace"],
  ])("lower-cases %p", (op, lower) => {
    const out = normalisePatchBody(
      patch({ op, path: "nickName", ...(lower === "remove" ? {} : { value: "Al" }) }),
      currentUser(),
    );
    expect(opsOf(out)[0]).toMatchObject({ op: lower });
  });

  it("leaves an unknown op for scimmy to reject (400 invalidSyntax)", async () => {
    const body = patch({ op: "Upsert", path: "Active", value: "False" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "Upsert", path: "Active", value: "False" }]);
    await expect(apply(body)).rejects.toMatchObject({ status: 400, scimType: "invalidSyntax" });
  });
});

describe("normalisePatchBody: string booleans", () => {
  it('path active, value "False"', async () => {
    const body = patch({ op: "Replace", path: "active", value: "False" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "replace", path: "active", value: false }]);
    expect((await apply(body))?.active).toBe(false);
  });

  it('path "Active" (scimmy only finds the canonical or the all-lower-case spelling)', async () => {
    const body = patch({ op: "replace", path: "Active", value: "false" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "replace", path: "active", value: false }]);
    expect((await apply(body))?.active).toBe(false);
  });

  it('path-less value {active: "False"} and {Active: ...}', async () => {
    expect(opsOf(normalisePatchBody(patch({ op: "replace", value: { Active: "False" } }), currentUser()))).toEqual([
      { op: "replace", value: { active: false } },
    ]);
    expect(await apply(patch({ op: "replace", value: { active: "False" } })))?.toMatchObject({ active: false });
  });

  it('emails[type eq "work"].primary with value "true"', async () => {
    const current = { ...currentUser(), emails: [{ value: "alice@contoso.com", type: "work", primary: false }] };
    const body = patch({ op: "replace", path: 'emails[type eq "work"].Primary', value: "true" });
    expect(opsOf(normalisePatchBody(body, current))).toEqual([
      { op: "replace", path: 'emails[type eq "work"].primary', value: true },
    ]);
    expect((await apply(body, current))?.emails).toEqual([{ value: "alice@contoso.com", type: "work", primary: true }]);
  });

  it("primary inside elements added to a multi-valued attribute", async () => {
    const body = patch({
      op: "add",
      path: "phoneNumbers",
      value: [{ value: "+1 555 0100", type: "mobile", Primary: "True" }],
    });
    expect((await apply(body))?.phoneNumbers).toEqual([{ value: "+1 555 0100", type: "mobile", primary: true }]);
  });

  it("leaves a non-boolean string, and scimmy rejects it (400 invalidValue)", async () => {
    const body = patch({ op: "replace", path: "active", value: "nope" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "replace", path: "active", value: "nope" }]);
    await expect(apply(body)).rejects.toMatchObject({ status: 400, scimType: "invalidValue" });
  });
});

describe("normalisePatchBody: enterprise manager", () => {
  const managerPath = `${ENT}:manager`;

  it.each(["replace", "Add"])("%s with path ...:manager and a bare id", async (op) => {
    const body = patch({ op, path: managerPath, value: "abc" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: op.toLowerCase(), path: managerPath, value: { value: "abc" } },
    ]);
    const out = await apply(body);
    expect(((out as Json)[ENT] as Json).manager).toMatchObject({ value: "abc" });
  });

  it("Add on a user without a manager or any enterprise attribute", async () => {
    const current = currentUser();
    delete current[ENT];
    current.schemas = [USER];
    const out = await apply(patch({ op: "Add", path: managerPath, value: "abc" }), current);
    expect(out?.[ENT]).toEqual({ manager: { value: "abc" } });
    expect(out?.schemas).toEqual([USER, ENT]);
  });

  it("path-less value key ...:manager and ...:User {manager}", async () => {
    const a = patch({ op: "replace", value: { [managerPath]: "abc" } });
    const b = patch({ op: "replace", value: { [ENT]: { Manager: "abc" } } });
    expect(opsOf(normalisePatchBody(a, currentUser()))).toEqual([
      { op: "replace", value: { [managerPath]: { value: "abc" } } },
    ]);
    expect(opsOf(normalisePatchBody(b, currentUser()))).toEqual([
      { op: "replace", value: { [ENT]: { manager: { value: "abc" } } } },
    ]);
    expect((((await apply(a)) as Json)[ENT] as Json).manager).toMatchObject({ value: "abc" });
    expect((((await apply(b)) as Json)[ENT] as Json).manager).toMatchObject({ value: "abc" });
  });

  it('"Manager": {"Value"} in a path-less value, which scimmy alone rejects with invalidPath', async () => {
    const body = patch({ op: "replace", value: { [ENT]: { Manager: { Value: "q" } } } });
    const current = currentUser();
    await expect(
      new SCIMMY.Messages.PatchOp(body as PatchRequest).apply(new SCIMMY.Schemas.User(current, "out")),
    ).rejects.toMatchObject({ status: 400, scimType: "invalidPath" });
    expect((((await apply(body)) as Json)[ENT] as Json).manager).toMatchObject({ value: "q" });
  });

  it.each(["replace", "Add"])("%s with an empty manager id removes the manager", async (op) => {
    const body = patch({ op, path: managerPath, value: "" });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "remove", path: managerPath }]);
    expect(await apply(body)).toMatchObject({ [ENT]: { employeeNumber: "1001", department: "Eng" } });
    expect((((await apply(body)) as Json)[ENT] as Json).manager).toBeUndefined();
  });

  it("path-less empty manager becomes a remove op", async () => {
    const body = patch({ op: "replace", value: { [managerPath]: "", displayName: "Alice S." } });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "replace", value: { displayName: "Alice S." } },
      { op: "remove", path: managerPath },
    ]);
    const out = await apply(body);
    expect(out?.displayName).toBe("Alice S.");
    expect(((out as Json)[ENT] as Json).manager).toBeUndefined();
  });
});

describe("normalisePatchBody: null values", () => {
  it("replace with a path and null becomes remove", async () => {
    const body = patch(
      { op: "replace", path: "name", value: null },
      { op: "Replace", path: "displayName", value: null },
    );
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "remove", path: "name" },
      { op: "remove", path: "displayName" },
    ]);
    const out = await apply(body);
    expect(out?.name).toBeUndefined();
    expect(out?.displayName).toBeUndefined();
  });

  it("replace of the whole extension with null removes each of its attributes", async () => {
    const body = patch({ op: "replace", path: ENT, value: null });
    const ops = opsOf(normalisePatchBody(body, currentUser()));
    expect(ops).toContainEqual({ op: "remove", path: `${ENT}:manager` });
    expect(ops).toContainEqual({ op: "remove", path: `${ENT}:employeeNumber` });
    const out = await apply(body);
    expect(out?.[ENT]).toBeUndefined();
    expect(out?.schemas).toEqual([USER]);
  });

  it("path-less replace: a key set to null becomes a remove (scimmy would silently keep a complex one)", async () => {
    const body = patch({ op: "replace", value: { name: null, nickName: "Al" } });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "replace", value: { nickName: "Al" } },
      { op: "remove", path: "name" },
    ]);
    const out = await apply(body);
    expect(out?.name).toBeUndefined();
    expect(out?.nickName).toBe("Al");
  });

  it("leaves a path-less replace whose whole value is null for scimmy (which throws a plain TypeError)", async () => {
    const body = patch({ op: "replace", value: null });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([{ op: "replace", value: null }]);
    await expect(apply(body)).rejects.toThrow(TypeError);
  });

  it('drops "$ref": null inside array values', async () => {
    const body = patch({ op: "add", path: "entitlements", value: [{ $ref: null, value: "wifi" }] });
    expect(opsOf(normalisePatchBody(body, currentUser()))).toEqual([
      { op: "add", path: "entitlements", value: [{ value: "wifi" }] },
    ]);
    expect((await apply(body))?.entitlements).toEqual([{ value: "wifi" }]);
  });
});
