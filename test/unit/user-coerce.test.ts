import { normaliseUserBody } from "../../src/http/scim/dialect";
import { fromScimmy } from "../../src/http/scim/scim-errors";
import { ENTERPRISE_URN, SCIMMY, USER_URN, declareScimResources } from "../../src/http/scim/scimmy";
import { coerceUser } from "../../src/http/scim/user-input";
import { fromScimUser } from "../../src/http/scim/user.mapper";

// Decision 0134: a POST/PUT body is coerced by the User definition once, not through a schema instance (which coerced
// every value twice). The write and every error must be what the instance gave: the instance path is kept here as
// the reference, and both run on bodies IdPs send, on case variants, and on bodies scimmy refuses.
beforeAll(() => declareScimResources({ maxResults: 100, bulk: { maxOperations: 10, maxPayloadSize: 1_000_000 } }));

type Json = Record<string, unknown>;

/** The former coerceUser, verbatim. */
function throughInstance(data: Json): Json {
  try {
    const instance = new SCIMMY.Schemas.User(data, "in") as unknown as Json;
    return { ...JSON.parse(JSON.stringify(instance)), password: instance.password };
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid User");
  }
}

const outcome = (f: (d: Json) => Json, body: Json) => {
  try {
    return { write: fromScimUser(f(normaliseUserBody(body) as Json)) };
  } catch (e) {
    const err = e as { status?: number; scimType?: string | null; message?: string };
    return { error: [err.status, err.scimType, err.message] };
  }
};

const okta = {
  schemas: [USER_URN],
  userName: "ann@example.com",
  name: { givenName: "Ann", familyName: "Lee" },
  emails: [{ primary: true, value: "ann@example.com", type: "work" }],
  displayName: "Ann Lee",
  locale: "en-US",
  externalId: "00u1",
  groups: [],
  password: "S3cret!pass",
  active: true,
};
const entra = {
  schemas: [USER_URN, ENTERPRISE_URN],
  externalId: "e-1",
  userName: "Ann@contoso.com",
  active: "True",
  displayName: "Ann",
  title: "Engineer",
  preferredLanguage: "en-GB",
  emails: [
    { primary: true, type: "work", value: "ann@contoso.com" },
    { type: "work", value: "ann.lee@contoso.com" },
  ],
  phoneNumbers: [
    { type: "mobile", value: "+1 555 0100" },
    { type: "fax", value: "+1 555 0101" },
  ],
  addresses: [{ type: "work", formatted: "1 Road", streetAddress: "1 Road", locality: "Town", primary: false }],
  name: { formatted: "Ann Lee", familyName: "Lee", givenName: "Ann", middleName: "B" },
  roles: [{ primary: "False", type: "WindowsAzureActiveDirectoryRole", display: "Admin", value: "r1" }],
  [ENTERPRISE_URN]: {
    employeeNumber: "42",
    department: "R&D",
    costCenter: "C1",
    organization: "Contoso",
    division: "West",
    manager: { value: "2819c223-7f76-453a-919d-413861904646" },
  },
};

describe("coerceUser gives what the schema instance gave", () => {
  it.each([
    ["Okta's create", okta],
    ["Entra's create", entra],
    ["the smallest user", { schemas: [USER_URN], userName: "x" }],
    ["no schemas", { userName: "x", active: false }],
    ["attribute names in other casings", { UserName: "x", EMAILS: [{ Value: "a@b.c", TYPE: "home" }], Active: true }],
    [
      "ims, photos, entitlements, x509",
      {
        userName: "x",
        ims: [{ value: "ann", type: "xmpp" }],
        photos: [{ value: "https://example.com/a.png", type: "photo" }],
        entitlements: [{ value: "e1", type: "any" }],
        x509Certificates: [{ value: "MIIB" }],
      },
    ],
    ["an enterprise attribute by its full name", { userName: "x", [`${ENTERPRISE_URN}:department`]: "Sales" }],
    ["an empty enterprise extension", { schemas: [USER_URN, ENTERPRISE_URN], userName: "x", [ENTERPRISE_URN]: {} }],
    [
      "read-only attributes sent",
      { userName: "x", id: "abc", meta: { resourceType: "User" }, groups: [{ value: "g" }] },
    ],
    ["an empty password", { userName: "x", password: "" }],
    ["nulls", { userName: "x", title: null, name: { givenName: null }, emails: null }],
    // Bodies scimmy refuses: the same status, scimType and message.
    ["another schema", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], userName: "x" }],
    ["no userName", { schemas: [USER_URN], displayName: "x" }],
    ["a numeric userName", { userName: 42 }],
    ["a boolean that is no boolean", { userName: "x", active: "yes" }],
    ["name as a string", { userName: "x", name: "Ann" }],
    ["emails as an object", { userName: "x", emails: { value: "a@b.c" } }],
    ["an email value that is a number", { userName: "x", emails: [{ value: 5 }] }],
    [
      "two primary emails",
      {
        userName: "x",
        emails: [
          { value: "a@b.c", primary: true },
          { value: "d@b.c", primary: true },
        ],
      },
    ],
    ["a primary that is no boolean", { userName: "x", emails: [{ value: "a@b.c", primary: "maybe" }] }],
    ["an enterprise value of the wrong type", { userName: "x", [ENTERPRISE_URN]: { department: 7 } }],
    ["a manager that is a string", { userName: "x", [ENTERPRISE_URN]: { manager: 7 } }],
  ])("%s", (_name, body) => {
    expect(outcome(coerceUser, body as Json)).toEqual(outcome(throughInstance, body as Json));
  });

  it("keeps the password out of the JSON form but beside it", () => {
    const coerced = coerceUser(normaliseUserBody(okta) as Json);
    expect(coerced.password).toBe("S3cret!pass");
    expect(fromScimUser(coerced).password).toBe("S3cret!pass");
  });
});
