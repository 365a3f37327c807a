import { changesOf, postedValues, valuesOf, versionsOf } from "../../src/http/console/people/person-edit-form";
import type { PersonView } from "../../src/domain/people/person";
import { emptyProfile } from "../../src/domain/users/user";

const view = (): PersonView => {
  const profile = emptyProfile("ada.lovelace");
  profile.name.givenName = "Ada";
  profile.name.familyName = "Lovelace";
  profile.emails = [{ value: "ada@corp.test", primary: true }];
  profile.title = "Engineer";
  return {
    user: {
      ...profile,
      id: "7c6f3b2e-0000-4000-8000-000000000001",
      account: { entityId: null, systemRole: "member", adminScope: [], external: false },
      lifecycle: { invitedAt: null, enrolledAt: null, lastLoginAt: null, lastPushedAt: null },
      groups: [],
      source: "admin",
      sourceRef: null,
      removedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      version: 4,
    },
    entity: null,
    adminScope: [],
    invitation: null,
  };
};

describe("the console's edit form sends on only what the admin changed", () => {
  it("sends nothing for a form posted back as it was shown", () => {
    const current = valuesOf(view());
    const body = {
      givenName: "Ada",
      familyName: "Lovelace",
      email: "ada@corp.test",
      userName: "ada.lovelace",
      language: "",
      title: "Engineer",
      department: "",
      manager: "",
      entityId: "",
      role: "member",
      adminScopeShown: "1",
      version: "4",
    };
    expect(changesOf(postedValues(body, current), current, body)).toEqual({});
    expect(versionsOf(postedValues(body, current))).toEqual([4]);
  });

  it("turns an emptied optional field into null, keeps a required one as typed, reads the checkbox", () => {
    const current = valuesOf(view());
    const body = { givenName: "", title: "  ", external: "on", version: "x" };
    const posted = postedValues(body, current);
    expect(changesOf(posted, current, body)).toEqual({ givenName: "", title: null, external: true });
    expect(versionsOf(posted)).toBeUndefined();
  });

  it("refuses a role no one has", () => {
    const current = valuesOf(view());
    const body = { role: "owner" };
    expect(() => changesOf(postedValues(body, current), current, body)).toThrow("'owner' is not a role");
  });
});
