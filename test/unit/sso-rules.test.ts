import { InvalidError } from "../../src/domain/errors";
import { defaultClaimMapping } from "../../src/domain/sso/connection";
import { checkIssuer, checkJit, checkScopes } from "../../src/domain/sso/connection.rules";
import { signLink, signUpProfile, verifyLink } from "../../src/domain/sso/signup.rules";
import {
  emailVerified,
  groupRefusal,
  jitProfile,
  jitRefusal,
  languageTag,
  linkClaimValue,
} from "../../src/domain/sso/sso.rules";

const jit = (over: Partial<ReturnType<typeof checkJit>> = {}) => ({ ...checkJit({ enabled: true }), ...over });

describe("sso rules", () => {
  it("an email is verified only by the boolean email_verified, or a trusted IdP", () => {
    expect(emailVerified({ email_verified: true }, false)).toBe(true);
    expect(emailVerified({ email_verified: "true" }, false)).toBe(false);
    expect(emailVerified({}, false)).toBe(false);
    expect(emailVerified({ email_verified: false }, true)).toBe(true);
  });

  it("reads the link claim as text, or null", () => {
    expect(linkClaimValue({ oid: " abc " }, "oid")).toBe("abc");
    expect(linkClaimValue({ oid: 42 }, "oid")).toBe("42");
    expect(linkClaimValue({ oid: "" }, "oid")).toBeNull();
    expect(linkClaimValue({ oid: "abc" }, null)).toBeNull();
  });

  it("judges just-in-time creation in order: off, no email, unverified, domain, required claims", () => {
    const claims = { email: "a@corp.example", dept: ["x", "sales"] };
    expect(jitRefusal(jit({ enabled: false }), claims, true)).toBe("jit_disabled");
    expect(jitRefusal(jit(), {}, true)).toBe("claim_missing");
    expect(jitRefusal(jit(), claims, false)).toBe("email_unverified");
    expect(jitRefusal(jit({ allowedDomains: ["other.example"] }), claims, true)).toBe("domain_not_allowed");
    expect(jitRefusal(jit({ requiredClaims: { dept: "ops" } }), claims, true)).toBe("claim_missing");
    expect(
      jitRefusal(jit({ allowedDomains: ["corp.example"], requiredClaims: { dept: "sales" } }), claims, true),
    ).toBeNull();
  });

  it("required groups: any one of them in the groups claim", () => {
    const conn = { requiredGroups: ["staff", "ops"], claimMapping: defaultClaimMapping() };
    expect(groupRefusal(conn, { groups: ["ops"] })).toBeNull();
    expect(groupRefusal(conn, { groups: "staff" })).toBeNull();
    expect(groupRefusal(conn, { groups: ["guests"] })).toBe("group_not_allowed");
    expect(groupRefusal({ ...conn, requiredGroups: [] }, {})).toBeNull();
  });

  it("makes the profile of a person created just in time from the mapped claims", () => {
    const p = jitProfile(
      { given_name: "Ada", family_name: "King", locale: "fr_FR" },
      "ada@corp.example",
      defaultClaimMapping(),
      jit(),
    );
    expect(p).toMatchObject({ userName: "ada@corp.example", displayName: "Ada King", preferredLanguage: "fr-FR" });
    expect(p.name).toMatchObject({ givenName: "Ada", familyName: "King" });
    expect(languageTag("not a tag")).toBeNull();
  });
});

describe("connection rules", () => {
  it("checks the issuer, scopes and JIT fields, naming the field", () => {
    expect(checkIssuer("https://idp.example/tenant/")).toBe("https://idp.example/tenant");
    expect(() => checkIssuer("ftp://idp.example")).toThrow(InvalidError);
    expect(() => checkIssuer("https://idp.example/?x=1")).toThrow(/issuer/);
    expect(checkScopes(["email", "openid", "email"])).toEqual(["openid", "email"]);
    expect(() => checkScopes(["a b"])).toThrow(/scopes\[0\]/);
    expect(() => checkJit({ enabled: true, allowedDomains: ["ok.example", "bad domain"] })).toThrow(
      /jit.allowedDomains\[1\]/,
    );
    expect(checkJit({ enabled: true, allowedDomains: ["@Corp.Example"] }).allowedDomains).toEqual(["corp.example"]);
  });
});

describe("sign-up rules", () => {
  it("needs names and an email, or a username and a phone", () => {
    expect(signUpProfile({ givenName: "A", familyName: "B", email: " X@Corp.Example " }).emails[0].value).toBe(
      "x@corp.example",
    );
    const byPhone = signUpProfile({ givenName: "A", familyName: "B", userName: "ab_1", phone: "+33 6 12 34 56 78" });
    expect(byPhone.userName).toBe("ab_1");
    expect(byPhone.phoneNumbers[0].value).toBe("+33612345678");
    expect(() => signUpProfile({ givenName: "A", familyName: "B" })).toThrow(/email/);
    expect(() => signUpProfile({ givenName: "A", familyName: "B", userName: "ab_1" })).toThrow(/phone/);
    expect(() => signUpProfile({ givenName: " ", familyName: "B", email: "a@b.example" })).toThrow(/givenName/);
  });

  it("a department link's token holds only with its own signature", () => {
    const key = Buffer.alloc(32, 7);
    const token = signLink(key, "8f1d7f4e-0000-4000-8000-000000000001");
    expect(verifyLink(key, token)).toBe("8f1d7f4e-0000-4000-8000-000000000001");
    expect(verifyLink(Buffer.alloc(32, 8), token)).toBeNull();
    expect(verifyLink(key, token.replace("0001", "0002"))).toBeNull();
    expect(verifyLink(key, "nodot")).toBeNull();
  });
});
