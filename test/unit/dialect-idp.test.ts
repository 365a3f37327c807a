import SCIMMY from "scimmy";
import { normalisePatchBody, normaliseUserBody } from "../../src/http/scim/dialect";
import {
  declareScimmyUser,
  ENT,
  type Json,
  oktaPutBody,
  PATCH_OP,
  type PatchRequest,
  toJson,
  USER,
} from "../support/scimmy-harness";

// Full request sequences as Entra ID and Okta send them, through normalise + scimmy, against a tiny in-memory store.

beforeAll(declareScimmyUser);

/** Stores what scimmy accepted and answers GET in RFC form. */
class Store {
  private stored: Json = {};
  password: string | undefined;

  constructor(private readonly id: string) {}

  write(body: unknown): Json {
    const instance = new SCIMMY.Schemas.User(normaliseUserBody(body) as Json, "in");
    this.password = instance.password ?? this.password;
    this.stored = toJson(instance);
    return this.get();
  }

  get(): Json {
    const meta = {
      resourceType: "User",
      created: "2024-01-01T00:00:00.000Z",
      lastModified: "2024-01-02T00:00:00.000Z",
      location: `/scim/v2/Users/${this.id}`,
    };
    return toJson(new SCIMMY.Schemas.User({ ...this.stored, id: this.id, meta }, "out"));
  }

  async patch(body: unknown): Promise<Json> {
    const current = this.get();
    const normalised = normalisePatchBody(body, current);
    const result = await new SCIMMY.Messages.PatchOp(normalised as PatchRequest).apply(
      new SCIMMY.Schemas.User(current, "out"),
      async (t) => t,
    );
    if (result) {
      this.password = (result as { password?: string }).password ?? this.password;
      this.stored = toJson(result);
    }
    return this.get();
  }
}

describe("Entra ID provisioning sequence", () => {
  const store = new Store("2819c223-7f76-453a-919d-413861904646");

  it("creates the user", () => {
    const created = store.write({
      schemas: [USER, ENT],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
      [ENT]: { employeeNumber: "701984", department: "Tour Operations" },
    });
    expect(created).toMatchObject({
      id: "2819c223-7f76-453a-919d-413861904646",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      active: true,
      [ENT]: { employeeNumber: "701984", department: "Tour Operations" },
    });
  });

  it("replaces several attributes, one through a value filter", async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
    });
    expect(user.emails).toEqual([{ value: "updatedEmail@microsoft.com", type: "work", primary: true }]);
    expect(user.name).toEqual({
      formatted: "givenName familyName",
      familyName: "updatedFamilyName",
      givenName: "givenName",
    });
  });

  it("sets the manager with Add and a bare id", async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: `${ENT}:manager`, value: "7d1c6bd1-9d3a-4a2e-9c39-6f4d59b2f7a4" }],
    });
    expect(user[ENT]).toEqual({
      employeeNumber: "701984",
      department: "Tour Operations",
      manager: { value: "7d1c6bd1-9d3a-4a2e-9c39-6f4d59b2f7a4" },
    });
  });

  it("adds a work phone and a work address the user does not have yet", async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [
        { op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "+1 555 0100" },
        { op: "Add", path: 'addresses[type eq "work"].formatted', value: "Columbus" },
        { op: "Add", path: 'addresses[type eq "work"].locality', value: "Columbus" },
      ],
    });
    expect(user.phoneNumbers).toEqual([{ value: "+1 555 0100", type: "work" }]);
    expect(user.addresses).toEqual([{ formatted: "Columbus", locality: "Columbus", type: "work" }]);
  });

  it('disables the user with "False"', async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(user.active).toBe(false);
  });

  it("applies an aadOptscim062020 path-less replace with dotted and URN keys", async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [
        {
          op: "replace",
          value: {
            active: true,
            displayName: "Updated Name",
            "name.givenName": "Updated",
            [`${ENT}:employeeNumber`]: "7",
          },
        },
      ],
    });
    expect(user).toMatchObject({
      active: true,
      displayName: "Updated Name",
      name: { givenName: "Updated", familyName: "updatedFamilyName" },
    });
    expect((user[ENT] as Json).employeeNumber).toBe("7");
  });

  it("clears the manager with an empty id", async () => {
    const user = await store.patch({
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: `${ENT}:manager`, value: "" }],
    });
    expect(user[ENT]).toEqual({ employeeNumber: "7", department: "Tour Operations" });
  });

  it("answers GET in RFC form throughout", () => {
    const user = store.get();
    expect(user.schemas).toEqual([USER, ENT]);
    expect(typeof user.active).toBe("boolean");
    expect(user.roles).toEqual([]);
  });
});

describe("Okta provisioning sequence", () => {
  const store = new Store("23a35c27-23d3-4c03-b4c5-6443c09e7173");

  it("creates the user with a password, groups [] and locale", () => {
    const created = store.write({
      schemas: [USER],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00u1dhhb1fkIGP7RL1d8",
      groups: [],
      password: "1mz050nq",
      active: true,
    });
    expect(created).toMatchObject({ userName: "test.user@okta.local", locale: "en-US", active: true });
    expect(created.password).toBeUndefined();
    expect(created.groups).toBeUndefined();
    expect(store.password).toBe("1mz050nq");
  });

  it("deactivates with a path-less replace", async () => {
    const user = await store.patch({ schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] });
    expect(user.active).toBe(false);
  });

  it("changes the password with a path-less replace", async () => {
    await store.patch({ schemas: [PATCH_OP], Operations: [{ op: "replace", value: { password: "n3wP4ss!" } }] });
    expect(store.password).toBe("n3wP4ss!");
  });

  it("replaces the whole user with PUT", () => {
    const user = store.write(oktaPutBody({ locale: "en-GB" }));
    expect(user).toMatchObject({
      id: "23a35c27-23d3-4c03-b4c5-6443c09e7173",
      locale: "en-GB",
      active: true,
      name: { givenName: "Another", middleName: "", familyName: "User" },
      emails: [{ value: "test.user@okta.local", display: "test.user@okta.local", type: "work", primary: true }],
    });
    expect(user.displayName).toBeUndefined();
  });
});
