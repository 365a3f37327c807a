import SCIMMY from "scimmy";
import { normaliseUserBody } from "../../src/http/scim/dialect";
import { declareScimmyUser, ENT, type Json, oktaPutBody, toJson, USER } from "../support/scimmy-harness";

beforeAll(declareScimmyUser);

/** What scimmy makes of a POST/PUT body after normalisation, as plain JSON. */
function coerceIn(body: unknown): Json {
  const normalised = normaliseUserBody(body) as Json;
  return toJson(new SCIMMY.Schemas.User(normalised, "in"));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null) {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

describe("normaliseUserBody: Entra string booleans", () => {
  it.each(["False", "false", "FALSE", "fAlSe"])("turns active %p into false", (s) => {
    expect(normaliseUserBody({ userName: "a", active: s })).toEqual({ userName: "a", active: false });
  });

  it.each(["True", "true", "TRUE"])("turns active %p into true", (s) => {
    expect(normaliseUserBody({ userName: "a", active: s })).toEqual({ userName: "a", active: true });
  });

  it("matches the attribute name case-insensitively and spells it canonically", () => {
    expect(normaliseUserBody({ userName: "a", Active: "False" })).toEqual({ userName: "a", active: false });
  });

  it("converts primary in every multi-valued attribute that has one, whatever its casing", () => {
    const body = {
      userName: "a",
      emails: [{ value: "a@x.com", type: "work", Primary: "True" }],
      phoneNumbers: [{ value: "+1 555 0100", type: "work", primary: "true" }],
      addresses: [{ type: "work", locality: "Springfield", primary: "TRUE" }],
      ims: [{ value: "alice", type: "skype", primary: "False" }],
      photos: [{ value: "https://example.com/a.jpg", type: "photo", primary: "true" }],
      roles: [{ value: "Admin", primary: "True" }],
      entitlements: [{ value: "wifi", primary: "false" }],
      x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw", primary: "true" }],
    };
    const out = coerceIn(body);
    expect(out.emails).toEqual([{ value: "a@x.com", type: "work", primary: true }]);
    expect(out.phoneNumbers).toEqual([{ value: "+1 555 0100", type: "work", primary: true }]);
    expect(out.addresses).toEqual([{ type: "work", locality: "Springfield", primary: true }]);
    expect(out.ims).toEqual([{ value: "alice", type: "skype", primary: false }]);
    expect(out.photos).toEqual([{ value: "https://example.com/a.jpg", type: "photo", primary: true }]);
    expect(out.roles).toEqual([{ value: "Admin", primary: true }]);
    expect(out.entitlements).toEqual([{ value: "wifi", primary: false }]);
    expect(out.x509Certificates).toEqual([{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw", primary: true }]);
  });

  it("leaves a string that is not a boolean alone, and scimmy rejects it", () => {
    expect(normaliseUserBody({ userName: "a", active: "yes" })).toEqual({ userName: "a", active: "yes" });
    expect(() => coerceIn({ userName: "a", active: "yes" })).toThrow(
      "Attribute 'active' expected value type 'boolean'",
    );
  });

  it("without normalisation scimmy rejects the Entra form (why this module exists)", () => {
    expect(() => new SCIMMY.Schemas.User({ userName: "a", active: "False" }, "in")).toThrow(TypeError);
  });
});

describe("normaliseUserBody: enterprise manager", () => {
  it("wraps a bare manager id", () => {
    expect(normaliseUserBody({ userName: "a", [ENT]: { manager: "abc" } })).toEqual({
      userName: "a",
      [ENT]: { manager: { value: "abc" } },
    });
    expect(coerceIn({ userName: "a", [ENT]: { manager: "abc" } })[ENT]).toEqual({ manager: { value: "abc" } });
  });

  it("wraps a bare manager id sent as a namespaced key", () => {
    expect(normaliseUserBody({ userName: "a", [`${ENT}:manager`]: "abc" })).toEqual({
      userName: "a",
      [`${ENT}:manager`]: { value: "abc" },
    });
    expect(coerceIn({ userName: "a", [`${ENT}:manager`]: "abc" })[ENT]).toEqual({ manager: { value: "abc" } });
  });

  it('canonicalises "Manager": {"Value"} (scimmy copes with it too) and the extension URN casing', () => {
    const body = { userName: "a", [ENT.toLowerCase()]: { Manager: { Value: "x" }, Department: "Eng" } };
    expect(normaliseUserBody(body)).toEqual({ userName: "a", [ENT]: { manager: { value: "x" }, department: "Eng" } });
    expect(coerceIn(body)[ENT]).toEqual({ department: "Eng", manager: { value: "x" } });
  });

  it("drops an empty manager (no manager)", () => {
    expect(normaliseUserBody({ userName: "a", [ENT]: { manager: "", department: "Eng" } })).toEqual({
      userName: "a",
      [ENT]: { department: "Eng" },
    });
  });
});

describe("normaliseUserBody: nulls and $ref", () => {
  it("drops null attributes at any depth (RFC 7643 §2.5 unassigned)", () => {
    const body = {
      userName: "a",
      displayName: null,
      name: { givenName: "A", middleName: null },
      emails: null,
      phoneNumbers: [{ value: "1", display: null }, null],
      [ENT]: { department: null, manager: null },
      foo: null,
    };
    // An extension left empty is dropped too: scimmy would otherwise list it in `schemas`.
    expect(normaliseUserBody(body)).toEqual({
      userName: "a",
      name: { givenName: "A" },
      phoneNumbers: [{ value: "1" }],
    });
    // Without the rewrite scimmy rejects "emails": null ("expected to be a collection").
    expect(() => new SCIMMY.Schemas.User({ userName: "a", emails: null }, "in")).toThrow("expected to be a collection");
    expect(coerceIn(body)).toEqual({
      schemas: [USER],
      meta: { resourceType: "User" },
      userName: "a",
      name: { givenName: "A" },
      phoneNumbers: [{ value: "1" }],
    });
  });

  it('drops "$ref": null from objects inside arrays, known attribute or not', () => {
    const body = {
      userName: "a",
      entitlements: [{ $ref: null, value: "e1" }],
      members: [{ $ref: null, value: "id", display: "x" }],
    };
    expect(normaliseUserBody(body)).toEqual({
      userName: "a",
      entitlements: [{ value: "e1" }],
      members: [{ value: "id", display: "x" }],
    });
  });

  it("keeps a required attribute's null out, so scimmy reports it missing", () => {
    expect(() => coerceIn({ userName: null })).toThrow("Required attribute 'userName' is missing");
  });
});

describe("normaliseUserBody: everything else is left alone", () => {
  it.each([undefined, null, "text", 42, true, [], [{ userName: "a" }]])("returns %p unchanged", (body) => {
    expect(normaliseUserBody(body)).toBe(body);
  });

  it("keeps unknown attributes (scimmy silently drops them) and core-URN keys become plain names", () => {
    const body = { userName: "a", favouriteColour: "blue", [`${USER}:nickName`]: "Al" };
    expect(normaliseUserBody(body)).toEqual({ userName: "a", favouriteColour: "blue", nickName: "Al" });
    const out = coerceIn(body);
    expect(out.favouriteColour).toBeUndefined();
    expect(out.nickName).toBe("Al");
  });

  it("never mutates its input and returns a new object", () => {
    const body = deepFreeze({
      userName: "a",
      active: "True",
      emails: [{ value: "x", primary: "false", $ref: null }],
      [ENT]: { manager: "m" },
    });
    const out = normaliseUserBody(body);
    expect(out).not.toBe(body);
    expect(body.active).toBe("True");
    expect(out).toEqual({
      userName: "a",
      active: true,
      emails: [{ value: "x", primary: false }],
      [ENT]: { manager: { value: "m" } },
    });
  });

  it("leaves wrong schemas for scimmy to reject (400 invalidSyntax)", () => {
    expect(() => coerceIn({ schemas: ["urn:example:Other"], userName: "a" })).toThrow(
      expect.objectContaining({ status: 400, scimType: "invalidSyntax" }),
    );
  });
});

describe("normaliseUserBody: real IdP bodies through scimmy", () => {
  it("Entra create: active true, roles [], meta.resourceType, enterprise extension", () => {
    const body = {
      schemas: [USER, ENT],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee@testuser.com",
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
      [ENT]: {
        employeeNumber: "701984",
        department: "Tour Operations",
        manager: "7d1c6bd1-9d3a-4a2e-9c39-6f4d59b2f7a4",
      },
    };
    const out = coerceIn(body);
    expect(out).toEqual({
      schemas: [USER, ENT],
      meta: { resourceType: "User" },
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee@testuser.com",
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      active: true,
      emails: [{ value: "Test_User_fd0ea19b@testuser.com", type: "work", primary: true }],
      roles: [],
      [ENT]: {
        employeeNumber: "701984",
        department: "Tour Operations",
        manager: { value: "7d1c6bd1-9d3a-4a2e-9c39-6f4d59b2f7a4" },
      },
    });
  });

  it("Entra create with the old string booleans", () => {
    const out = coerceIn({
      schemas: [USER],
      userName: "bob@contoso.com",
      active: "True",
      emails: [{ primary: "True", type: "work", value: "bob@contoso.com" }],
    });
    expect(out.active).toBe(true);
    expect(out.emails).toEqual([{ value: "bob@contoso.com", type: "work", primary: true }]);
  });

  it("Okta full PUT: password kept (write-only), groups dropped by scimmy, locale kept", () => {
    const body = oktaPutBody({
      meta: { resourceType: "User", created: "2024-01-01T00:00:00.000Z", lastModified: "2024-01-02T00:00:00.000Z" },
    });
    expect(normaliseUserBody(body)).toEqual(body);
    const instance = new SCIMMY.Schemas.User(normaliseUserBody(body) as Json, "in");
    expect(instance.password).toBe("1mz050nq");
    const out = toJson(instance);
    expect(out.password).toBeUndefined();
    expect(out.groups).toBeUndefined();
    expect(out.id).toBeUndefined();
    expect(out.locale).toBe("en-US");
    expect(out.name).toEqual({ givenName: "Another", middleName: "", familyName: "User" });
    expect(out.active).toBe(true);
  });
});
