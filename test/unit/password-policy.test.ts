import { PASSWORD_MAX_LENGTH, passwordViolations } from "../../src/domain/auth/password-policy.rules";

const owner = { userName: "ada.lovelace", emails: ["byron.a@corp.test", "countess@home.test"] };
const rules = (pw: string, o = owner, minLength = 12) => passwordViolations(pw, { minLength }, o).map((v) => v.rule);

describe("password policy", () => {
  it("accepts a long password unrelated to the person", () => {
    expect(rules("violet-harbour-41-tram")).toEqual([]);
  });

  it("counts characters, not bytes, against PASSWORD_MIN_LENGTH and the maximum", () => {
    expect(rules("short-one")).toEqual(["too_short"]);
    expect(rules("élan-vif-été")).toEqual([]); // 12 characters, 15 bytes
    expect(rules("élan-vif-ét")).toEqual(["too_short"]);
    expect(rules("mix-of-words", owner, 13)).toEqual(["too_short"]);
    expect(rules("x".repeat(3) + "y".repeat(PASSWORD_MAX_LENGTH))).toEqual(["too_long"]);
    expect(rules("xy".repeat(PASSWORD_MAX_LENGTH / 2))).toEqual([]);
  });

  it("refuses one character repeated, whatever the length", () => {
    expect(rules("aaaaaaaaaaaaaaaa")).toEqual(["one_character"]);
    expect(rules("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂")).toEqual(["one_character"]);
  });

  it("refuses the userName and the name part of any address, ignoring case", () => {
    expect(rules("my-ADA.LOVELACE-pass")).toEqual(["contains_user_name"]);
    expect(rules("Countess-of-2026")).toEqual(["contains_email"]);
    expect(rules("xx-BYRON.A-horses")).toEqual(["contains_email"]);
    // A userName that is an address: its name part counts as the userName.
    expect(rules("grace-hopper-1906", { userName: "grace-hopper@navy.test", emails: [] })).toEqual(["contains_user_name"]);
  });

  it("ignores names shorter than three characters (too common a substring)", () => {
    expect(rules("a-long-sentence-here", { userName: "al", emails: ["ng@x.test"] })).toEqual([]);
    expect(rules("a-long-sentence-here", { userName: "sen", emails: [] })).toEqual(["contains_user_name"]);
  });

  it("refuses the most common passwords, ignoring case", () => {
    expect(rules("Password1234")).toEqual(["common"]);
    expect(rules("QWERTYUIOP123")).toEqual(["common"]);
    expect(rules("motdepasse123")).toEqual(["common"]);
  });

  it("lists every rule broken at once, each with a readable detail", () => {
    const v = passwordViolations("aaa", { minLength: 12 }, { userName: "aaa", emails: [] });
    expect(v.map((x) => x.rule)).toEqual(["too_short", "one_character", "contains_user_name"]);
    expect(v[0].detail).toBe("must be at least 12 characters long");
  });
});
