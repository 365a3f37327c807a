import { InvalidError } from "../../src/domain/errors";
import { emptyProfile } from "../../src/domain/users/user";
import { assertValidProfile } from "../../src/domain/users/users.rules";

const profile = (patch: Partial<ReturnType<typeof emptyProfile>> = {}) => ({
  ...emptyProfile("ada@example.test"),
  ...patch,
});
const fieldOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidError) return e.field;
    throw e;
  }
  return null;
};

describe("user rules", () => {
  it("accepts a plain profile", () => expect(fieldOf(() => assertValidProfile(profile()))).toBeNull());
  it.each([
    ["empty userName", profile({ userName: " " }), "userName"],
    ["control characters in userName", profile({ userName: "a\u0000b" }), "userName"],
    ["a userName over 256 characters", profile({ userName: "a".repeat(257) }), "userName"],
    [
      "two primary emails",
      profile({
        emails: [
          { value: "a@x", primary: true },
          { value: "b@x", primary: true },
        ],
      }),
      "emails",
    ],
    ["an email without value", profile({ emails: [{ type: "work" }] }), "emails[0].value"],
    ["a title over 2048 characters", profile({ title: "x".repeat(2049) }), "title"],
  ])("refuses %s, naming the field", (_c, p, field) => expect(fieldOf(() => assertValidProfile(p))).toBe(field));
  it("allows several values of one type (RFC 7643 §2.4: only primary is limited to one)", () => {
    const phoneNumbers = [
      { value: "1", type: "work" },
      { value: "2", type: "Work" },
    ];
    const addresses = [
      { type: "work", locality: "A" },
      { type: "work", locality: "B" },
    ];
    expect(fieldOf(() => assertValidProfile(profile({ phoneNumbers, extras: { addresses } })))).toBeNull();
  });
  it("allows several roles of one type (Entra sends them so)", () => {
    const roles = [
      { value: "a", type: "WindowsAzureActiveDirectoryRole" },
      { value: "b", type: "WindowsAzureActiveDirectoryRole" },
    ];
    expect(fieldOf(() => assertValidProfile(profile({ extras: { roles } })))).toBeNull();
  });
});
