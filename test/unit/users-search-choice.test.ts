import { walkIsCheaper } from "../../src/domain/users/users-search.choice";

describe("a text query walks the sort order when that is cheaper than reading all its matches", () => {
  it("a term in 1% of the users: from its matches at 10,000 users, walked at 1,000,000", () => {
    expect(walkIsCheaper("userName", 50, 100, 10_000)).toBe(false);
    expect(walkIsCheaper("userName", 50, 10_000, 1_000_000)).toBe(true);
  });

  it("a walk that visits the table for every user passed over needs a more frequent term", () => {
    expect(walkIsCheaper("createdAt", 50, 4_000, 1_000_000)).toBe(false);
    expect(walkIsCheaper("userName", 50, 4_000, 1_000_000)).toBe(true);
    expect(walkIsCheaper("lastLoginAt", 50, 10_000, 1_000_000)).toBe(true);
  });

  it("a larger page needs a more frequent term", () => {
    expect(walkIsCheaper("userName", 200, 4_000, 1_000_000)).toBe(false);
    expect(walkIsCheaper("userName", 50, 4_000, 1_000_000)).toBe(true);
  });

  it("never walks the familyName order (a typed name sits in one place of it), nor on an estimate of no match", () => {
    expect(walkIsCheaper("familyName", 50, 500_000, 1_000_000)).toBe(false);
    expect(walkIsCheaper("userName", 50, 0, 1_000_000)).toBe(false);
  });
});
