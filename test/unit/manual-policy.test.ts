import { InvalidError } from "../../src/domain/errors";
import {
  PUBLISHED_POLICY,
  asciiLetters,
  checkEmail,
  checkLanguage,
  checkName,
  checkUserName,
  firstLastBase,
  namesFromEmail,
  userNameCandidates,
} from "../../src/domain/people/manual-policy.rules";

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidError) return e.field;
    throw e;
  }
  return null;
};

describe("manual policy (published rules by default)", () => {
  it.each([
    ["Élodie", "elodie"],
    ["Müller-Öst", "mullerost"],
    ["O'Brien", "obrien"],
    ["Strauß", "strauss"],
    ["Øyvind", "oyvind"],
    ["Łukasz", "lukasz"],
    ["Zoë Anne", "zoeanne"],
    ["Ærø", "aero"],
  ])("strips accents and special characters: %s -> %s", (name, ascii) => {
    expect(asciiLetters(name)).toBe(ascii);
  });

  it("generates first.last and refuses names with no letters a-z left", () => {
    expect(firstLastBase("Jean-Luc", "Picard")).toBe("jeanluc.picard");
    expect(fieldOf(() => firstLastBase("李", "小龍"))).toBe("userName");
    expect(userNameCandidates("a.b", 1, 3)).toEqual(["a.b", "a.b2", "a.b3"]);
    expect(userNameCandidates("a.b", 21, 2)).toEqual(["a.b21", "a.b22"]);
  });

  it("holds names to the minimum length and no digits, counting characters not bytes", () => {
    expect(checkName(PUBLISHED_POLICY, "givenName", "  Zoë ")).toBe("Zoë");
    expect(fieldOf(() => checkName(PUBLISHED_POLICY, "familyName", "Li"))).toBe("familyName");
    expect(fieldOf(() => checkName(PUBLISHED_POLICY, "givenName", "Ann3"))).toBe("givenName");
    expect(fieldOf(() => checkName(PUBLISHED_POLICY, "givenName", "Ann٣"))).toBe("givenName"); // an Arabic-Indic digit
    expect(fieldOf(() => checkName(PUBLISHED_POLICY, "givenName", null))).toBe("givenName");
    const relaxed = { ...PUBLISHED_POLICY, nameMinLength: 0, nameDigits: true };
    expect(checkName(relaxed, "givenName", null)).toBeNull();
    expect(checkName(relaxed, "givenName", "R2")).toBe("R2");
  });

  it("checks userNames under each policy", () => {
    expect(checkUserName(PUBLISHED_POLICY, "ada.lovelace2")).toBe("ada.lovelace2");
    for (const bad of [
      "ada",
      "ada.love.lace",
      "élodie.muller",
      "ada_lovelace",
      "ada.lovelace@x.test",
      "2ada.lovelace",
    ]) {
      expect(fieldOf(() => checkUserName(PUBLISHED_POLICY, bad))).toBe("userName");
    }
    expect(checkUserName({ ...PUBLISHED_POLICY, userNames: "email" }, "a@b.test")).toBe("a@b.test");
    expect(fieldOf(() => checkUserName({ ...PUBLISHED_POLICY, userNames: "email" }, "ada"))).toBe("userName");
    expect(checkUserName({ ...PUBLISHED_POLICY, userNames: "free" }, "anything_goes")).toBe("anything_goes");
  });

  it("checks emails and language tags", () => {
    expect(checkEmail(" a.b@c.test ")).toBe("a.b@c.test");
    for (const bad of ["a", "a@b", "a b@c.test", "@c.test"]) expect(fieldOf(() => checkEmail(bad))).toBe("email");
    expect(checkLanguage("en-GB")).toBe("en-GB");
    expect(checkLanguage(null)).toBeNull();
    for (const bad of ["english", "en_GB", "e", ""]) expect(fieldOf(() => checkLanguage(bad))).toBe("language");
  });

  it("reads names from first.last addresses only", () => {
    expect(namesFromEmail("ada.lovelace@x.test")).toEqual({ givenName: "Ada", familyName: "Lovelace" });
    expect(namesFromEmail("jean-luc.PICARD@x.test")).toEqual({ givenName: "Jean-Luc", familyName: "Picard" });
    expect(namesFromEmail("info@x.test")).toBeNull();
    expect(namesFromEmail("a.b.c@x.test")).toBeNull();
    expect(namesFromEmail("r2.d2@x.test")).toBeNull();
  });
});
