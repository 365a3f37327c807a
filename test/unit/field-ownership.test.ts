import { InvalidError } from "../../src/domain/errors";
import {
  defaultFieldOwnership,
  fieldOwnershipOf,
  idpOwnedAmong,
  keepAdminOwned,
  OWNED_FIELDS,
  parseFieldOwnership,
} from "../../src/domain/users/field-ownership";
import { emptyProfile } from "../../src/domain/users/user";

const base = () => ({
  ...emptyProfile("ada@corp.test"),
  name: { ...emptyProfile("x").name, givenName: "Ada", familyName: "Lovelace" },
  emails: [{ value: "ada@corp.test", primary: true }],
  title: "Engineer",
  preferredLanguage: "fr",
});

describe("field ownership rules", () => {
  it("reads a stored value leniently: unknown fields and owners keep the defaults", () => {
    expect(fieldOwnershipOf(null)).toEqual(defaultFieldOwnership());
    expect(fieldOwnershipOf({ title: "admin", givenName: "hr", shoe: "admin" })).toEqual({
      ...defaultFieldOwnership(),
      title: "admin",
    });
  });

  it("parses a PUT: aliases read as the field, fields left out take their default, unknown names are refused by name", () => {
    expect(parseFieldOwnership({ emails: "admin", preferredLanguage: "idp" })).toEqual({
      ...defaultFieldOwnership(),
      email: "admin",
      language: "idp",
    });
    const refusal = (fields: Record<string, unknown>) => {
      try {
        parseFieldOwnership(fields);
      } catch (e) {
        return e instanceof InvalidError ? e.field : "not an InvalidError";
      }
      return "accepted";
    };
    expect(refusal({ givenName: "admin", shoe: "admin" })).toBe("fields.shoe");
    expect(refusal({ title: "hr" })).toBe("fields.title");
  });

  it("keeps the current value of each admin-owned field an IdP push changes, and names it", () => {
    const current = base();
    const pushed = { ...base(), title: "Lead", preferredLanguage: "de", nickName: "A" };
    const { profile, dropped } = keepAdminOwned(current, pushed, { ...defaultFieldOwnership(), title: "admin" });
    expect(profile).toMatchObject({ title: "Engineer", preferredLanguage: "fr", nickName: "A" });
    expect(dropped).toEqual(["title (owned by admins)", "preferredLanguage (owned by admins)"]);
  });

  it("leaves a push alone when every field it changes is the IdP's", () => {
    const pushed = { ...base(), title: "Lead" };
    const { profile, dropped } = keepAdminOwned(base(), pushed, defaultFieldOwnership());
    expect(profile).toBe(pushed);
    expect(dropped).toEqual([]);
    expect(idpOwnedAmong(defaultFieldOwnership(), OWNED_FIELDS)).not.toContain("language");
  });
});
