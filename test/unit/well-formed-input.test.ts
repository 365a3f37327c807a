import { parseConfig } from "../../src/config/env";
import { asMalformedInput, findUnstorableText, nestsDeeperThan } from "../../src/http/middleware/well-formed-input";

describe("nestsDeeperThan (the raw-body depth scan)", () => {
  const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

  it("counts arrays and objects, at the limit or beyond", () => {
    expect(nestsDeeperThan(Buffer.from(nested(32)), 32)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(nested(33)), 32)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(`{"a":[{"b":{"c":1}}],"d":[[1]]}`), 4)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`{"a":[{"b":{"c":[1]}}]}`), 4)).toBe(true);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ a: "[[[[{{{{", b: 'x\\"[[[[' })), 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`["\\\\", [[1]]]`), 2)).toBe(true);
  });

  it("scans decoded text (UTF-16 bodies) the same way, and non-ASCII bytes never count", () => {
    expect(nestsDeeperThan(nested(3), 2)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(`["é{[ñ", {"ü": ["ż"]}]`), 3)).toBe(false);
  });
});

describe("findUnstorableText", () => {
  it("names the first lone surrogate or NUL, in values or keys", () => {
    expect(findUnstorableText({ name: { givenName: "ok", familyName: "\ud800" } })).toBe("name.familyName");
    expect(findUnstorableText({ Operations: [{ value: "x" }, { value: ["a", "b\u0000"] }] })).toBe(
      "Operations[1].value[1]",
    );
    expect(findUnstorableText({ "k\udc00": 1 })).toBe("k\udc00");
    expect(findUnstorableText("\ud800")).toBe("body");
  });

  it("accepts well-formed text, surrogate pairs included", () => {
    expect(findUnstorableText({ a: "😀", b: [1, true, null, "é"], c: {} })).toBeNull();
  });
});

it("the router's URIError (status 400) is a malformed path; other errors are not", () => {
  expect(asMalformedInput(Object.assign(new URIError("Failed to decode param"), { status: 400 }))?.code).toBe(
    "invalid_path",
  );
  expect(asMalformedInput(new URIError("x"))).toBeNull();
  expect(asMalformedInput(new Error("x"))).toBeNull();
});

it("JSON_MAX_DEPTH and SCIM_PATCH_MAX_OPERATIONS have defaults and are checked", () => {
  expect(parseConfig({})).toMatchObject({ JSON_MAX_DEPTH: 32, SCIM_PATCH_MAX_OPERATIONS: 1000 });
  expect(() => parseConfig({ JSON_MAX_DEPTH: "2" })).toThrow(/JSON_MAX_DEPTH/);
  expect(() => parseConfig({ SCIM_PATCH_MAX_OPERATIONS: "0" })).toThrow(/SCIM_PATCH_MAX_OPERATIONS/);
});
