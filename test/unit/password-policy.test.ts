import {
  PASSWORD_MAX_LENGTH,
  type PasswordPolicy,
  passwordViolations,
} from "../../src/domain/auth/password-policy.rules";

const owner = { userName: "ada.lovelace", emails: ["byron.a@corp.test", "countess@home.test"] };
const policy = (minLength = 12, minScore: PasswordPolicy["minScore"] = 3): PasswordPolicy => ({ minLength, minScore });
const rules = (pw: string, o = owner, p = policy()) => passwordViolations(pw, p, o).map((v) => v.rule);

describe("password policy", () => {
  it("accepts long passphrases and random strings unrelated to the person", () => {
    expect(rules("violet-harbour-41-tram")).toEqual([]);
    expect(rules("river lamp orbit cactus")).toEqual([]); // four words
    expect(rules("correct horse battery staple")).toEqual([]);
    expect(rules("k7#Qx9pL!m2Vz4Rt")).toEqual([]); // 16 random characters
    expect(rules("Xk9vT4pq7Rm2Wd8h")).toEqual([]);
  });

  it("refuses guessable passwords that pass the length rule, with the estimator's feedback as the detail", () => {
    for (const pw of [
      "Password1234!",
      "iloveyou1234",
      "abababababab",
      "correcthorse",
      "P@ssw0rd2024!",
      "azertyuiop123",
      "motdepasse123",
      "xy".repeat(PASSWORD_MAX_LENGTH / 2),
    ]) {
      expect([pw, rules(pw)]).toEqual([pw, ["guessable"]]);
    }
    const [v] = passwordViolations("iloveyou1234", policy(), owner);
    expect(v.detail).toBe(
      "is too easy to guess: This is similar to a commonly used password. Add more words that are less common",
    );
    const [r] = passwordViolations("abababababab", policy(), owner);
    expect(r.detail).toMatch(/^is too easy to guess: Repeated character patterns like "abcabcabc" are easy to guess\./);
  });

  it("follows PASSWORD_MIN_SCORE (zxcvbn's 0-4 scale)", () => {
    expect(rules("Summer2026!!", owner, policy(12, 3))).toEqual([]); // scored 3
    expect(rules("Summer2026!!", owner, policy(12, 4))).toEqual(["guessable"]);
    expect(rules("correcthorse", owner, policy(12, 1))).toEqual([]); // scored 1
  });

  it("counts the person's names and addresses as guesses an attacker would try", () => {
    const stranger = { userName: "zed.quist", emails: ["zq@corp.test"] };
    expect(rules("AdaLovelace1815", stranger, policy(12, 4))).toEqual([]); // about 10^10 guesses for anyone else
    expect(rules("AdaLovelace1815", owner, policy(12, 4))).toEqual(["guessable"]); // about 10^8 for Ada's
  });

  it("refuses control characters (C0, DEL, C1, NUL included) and lone UTF-16 surrogates with their own rule", () => {
    for (const c of ["\u0000", "\u0007", "\n", "\t", "\u001f", "\u007f", "\u0085", "\u009f", "\ud800", "\udfff"]) {
      expect([JSON.stringify(c), rules(`violet-harbour${c}-41-tram`)]).toEqual([
        JSON.stringify(c),
        ["control_character"],
      ]);
    }
    expect(rules("violet-harbour-41-tram-🙂")).toEqual([]); // a surrogate pair is one character
    expect(rules("violet-harbour-41-tram-\u00a0é")).toEqual([]); // no-break space and accents are not controls
  });

  it("counts characters, not bytes, against PASSWORD_MIN_LENGTH and the maximum", () => {
    expect(rules("x7#Qv9pLm")).toEqual(["too_short"]);
    expect(rules("élan-vif-été")).toEqual([]); // 12 characters, 15 bytes
    expect(rules("élan-vif-ét")).toEqual(["too_short"]);
    expect(rules("mix-of-words", owner, policy(13))).toEqual(["too_short"]);
    expect(rules(`${"k7#Qx9pL!m2Vz4Rt".repeat(8)}x`)).toEqual(["too_long"]);
    expect(rules("k7#Qx9pL!m2Vz4Rt".repeat(8))).toEqual([]);
  });

  it("refuses one character repeated, whatever the length", () => {
    expect(rules("aaaaaaaaaaaaaaaa")).toEqual(["one_character", "guessable"]);
    expect(rules("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂")).toEqual(["one_character", "guessable"]);
  });

  it("refuses the userName and the name part of any address, ignoring case", () => {
    expect(rules("my-ADA.LOVELACE-pass")).toEqual(["contains_user_name"]);
    expect(rules("Countess-of-2026-tram")).toEqual(["contains_email"]);
    expect(rules("xx-BYRON.A-horses")).toEqual(["contains_email"]);
    // A userName that is an address: its name part counts as the userName.
    expect(rules("grace-hopper-1906-oak", { userName: "grace-hopper@navy.test", emails: [] })).toEqual([
      "contains_user_name",
    ]);
  });

  it("ignores names shorter than three characters (too common a substring)", () => {
    expect(rules("a-long-sentence-here", { userName: "al", emails: ["ng@x.test"] })).toEqual([]);
    expect(rules("a-long-sentence-here", { userName: "sen", emails: [] })).toEqual(["contains_user_name"]);
  });

  it("lists every rule broken at once, each with a readable detail", () => {
    const v = passwordViolations("aaa\u0000", policy(), { userName: "aaa", emails: [] });
    expect(v.map((x) => x.rule)).toEqual(["too_short", "control_character", "contains_user_name", "guessable"]);
    expect(v[0].detail).toBe("must be at least 12 characters long");
  });

  it("stays cheap on the longest, most l33t-laden input (the estimator reads 64 characters, 10 l33t spellings)", () => {
    passwordViolations("warm-up-the-estimator", policy(), owner);
    const started = process.cpuUsage();
    for (const pw of ["a1!".repeat(42), "4@8(3#1!|0$5+7".repeat(9), "p@55w0rd".repeat(16)])
      passwordViolations(pw, policy(), owner);
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3000); // ~0.35 s of CPU; the library's defaults took ~5 s
  });
});
