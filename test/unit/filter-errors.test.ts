import { compileFilter, FilterError } from "../../src/http/scim/filter";
import { addresses, ENT, enterprise, filterMap } from "../support/filter-map";

const map = filterMap(["id", "username", "title", "active", "logincount", "name", "emails", "meta"], {
  addresses: addresses({ locality: { kind: "string" } }),
  ...enterprise({ manager: false }),
});

function errorOf(filter: string, opts?: Parameters<typeof compileFilter>[2]): FilterError {
  try {
    compileFilter(filter, map, opts);
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error(`no error for ${filter}`);
}

describe("compileFilter: client errors come out as FilterError", () => {
  it.each([
    // unknown attributes, named
    ['foo eq "x"', "Unknown attribute 'foo' in filter"],
    ['name.nickName eq "x"', "Unknown attribute 'name.nickName' in filter"],
    ['emails[foo eq "x"]', "Unknown attribute 'emails.foo' in filter"],
    ['emails.value.x eq "x"', "Unknown attribute 'emails.value.x' in filter"],
    ['userName.x eq "x"', "Unknown attribute 'userName.x' in filter"],
    [`${ENT}:shoeSize eq 42`, `Unknown attribute '${ENT}:shoeSize' in filter`],
    // operators and operands
    ['userName xx "a"', `Unexpected token 'xx "a"' in filter term 'userName xx "a"'`],
    ["userName np", "Operator 'np' is not part of SCIM; use 'not (attribute pr)' in 'userName np'"],
    ["userName eq", "Missing value after 'eq' in 'userName eq'"],
    ["userName eq and title pr", "Missing value after 'eq' in 'userName eq'"],
    ['userName pr "x"', `Operator 'pr' takes no value in 'userName pr "x"'`],
    ['userName eq "a" "b"', `Invalid filter term 'userName eq "a" "b"'`],
    ["userName", "Invalid filter term 'userName'"],
    ["emails[]", "Invalid filter term 'emails[]'"],
    // structure
    ['(userName eq "a"', "Unbalanced parentheses: missing ')'"],
    ['((userName eq "a") or (title pr)', "Unbalanced parentheses: missing ')'"],
    ['userName eq "a")', "Unbalanced parentheses: unexpected ')' at character 16"],
    [")(", "Unbalanced parentheses: unexpected ')' at character 1"],
    ["()", "Unexpected ')' at character 2 of filter"],
    ['and userName eq "a"', "Unexpected 'and' at character 1 of filter"],
    ['userName eq "a" or', "filter ends after 'or' where a comparison was expected"],
    ['userName eq "a" (title pr)', "Unexpected '(' at character 17 of filter"],
    ["", "filter is empty"],
    ["   ", "filter is empty"],
    // strings and value filters
    ['userName eq "abc', `Missing closing '"' for the string starting at character 13`],
    ['title eq "C:\\q"', `Invalid escape sequence in value "C:\\q" of 'title eq "C:\\q"'`],
    ['emails[type eq "work"', "Missing closing ']' for the value filter starting at character 7"],
    [
      'emails[type eq "w" and (value co "a" or value co "b")]',
      "Parentheses inside a value filter '[...]' are not supported (at character 24)",
    ],
    [
      'emails[type eq "w"].value[x eq "y"] eq "z"',
      `Only one value filter '[...]' per attribute path is supported: 'emails[type eq "w"].value[x eq "y"] eq "z"'`,
    ],
    // types
    ["active gt true", "Operator 'gt' is not supported for boolean attribute 'active'"],
    ['active co "t"', "Operator 'co' is not supported for boolean attribute 'active'"],
    ['active eq "yes"', "Value for boolean attribute 'active' must be true or false"],
    ["active eq 1", "Value for boolean attribute 'active' must be true or false"],
    ['emails[primary gt "x"]', "Operator 'gt' is not supported for boolean attribute 'emails.primary'"],
    [
      'meta.lastModified gt "yesterday"',
      `Value for 'meta.lastModified' must be a date-time such as "2024-01-31T12:00:00Z"`,
    ],
    [
      'meta.created eq "2021-02-29T00:00:00Z"',
      `Value for 'meta.created' must be a date-time such as "2024-01-31T12:00:00Z"`,
    ],
    ['meta.created eq "2021-13-01"', `Value for 'meta.created' must be a date-time such as "2024-01-31T12:00:00Z"`],
    [
      'meta.created lt "2021-01-01T24:00:00Z"',
      `Value for 'meta.created' must be a date-time such as "2024-01-31T12:00:00Z"`,
    ],
    ["meta.created gt 2021", `Value for 'meta.created' must be a date-time such as "2024-01-31T12:00:00Z"`],
    ['meta.created co "2021"', "Operator 'co' is not supported for datetime attribute 'meta.created'"],
    ["userName eq 5", "Value for 'userName' must be a quoted string"],
    ["userName eq true", "Value for 'userName' must be a quoted string"],
    ['loginCount gt "3"', "Value for 'loginCount' must be a number"],
    ["loginCount sw 3", "Operator 'sw' is not supported for integer attribute 'loginCount'"],
    ["title gt null", "Operator 'gt' cannot compare 'title' with null"],
    ['name eq "x"', "'name' is a complex attribute: compare one of its sub-attributes instead"],
    ['addresses co "x"', "'addresses' has no 'value' sub-attribute: compare one of its sub-attributes instead"],
  ])("%s", (filter, message) => {
    expect(errorOf(filter).message).toBe(message);
  });

  it("never resolves Object.prototype members as attributes", () => {
    for (const f of [
      "constructor pr",
      "__proto__ pr",
      'toString eq "x"',
      "name.constructor pr",
      "emails[hasOwnProperty pr]",
    ]) {
      expect(() => compileFilter(f, map)).toThrow(FilterError);
    }
  });

  it("carries status 400 and scimType invalidFilter", () => {
    expect(errorOf("foo pr")).toMatchObject({ status: 400, scimType: "invalidFilter", name: "FilterError" });
  });

  it("rejects a filter longer than maxLength (default 2048)", () => {
    expect(errorOf(`userName eq "${"a".repeat(2040)}"`).message).toBe("filter is longer than 2048 characters");
    expect(errorOf('userName eq "abcdef"', { maxLength: 10 }).message).toBe("filter is longer than 10 characters");
    expect(() => compileFilter(`userName eq "${"a".repeat(2034)}"`, map)).not.toThrow();
  });

  it("rejects more than maxTerms comparisons (default 64)", () => {
    const many = Array.from({ length: 65 }, (_, i) => `title eq "t${i}"`).join(" or ");
    expect(errorOf(many).message).toBe("filter has more than 64 comparisons");
    expect(errorOf("title pr and (title pr or not (title pr))", { maxTerms: 2 }).message).toBe(
      "filter has more than 2 comparisons",
    );
  });

  it("counts comparisons after scimmy expands or inside a value filter", () => {
    const f = 'emails[type eq "a" or type eq "b" or type eq "c"]';
    expect(errorOf(f, { maxTerms: 2 }).message).toBe("filter has more than 2 comparisons");
    expect(() => compileFilter(f, map, { maxTerms: 3 })).not.toThrow();
  });

  it("rejects deep nesting", () => {
    expect(errorOf(`${"(".repeat(40)}title pr${")".repeat(40)}`).message).toBe("filter nests deeper than 32 levels");
    expect(errorOf(`${"not ".repeat(40)}title pr`).message).toBe("filter nests deeper than 32 levels");
  });

  it("stays fast on adversarial input within the length cap", () => {
    const groups = Array.from({ length: 30 }, () => '(title eq "a" or title eq "b")').join(" and ");
    const started = Date.now();
    expect(compileFilter(groups, map).params).toHaveLength(60);
    expect(() => compileFilter(`${'emails[type eq "a" or type eq "b"] and '.repeat(40)}title pr`, map)).toThrow(
      "filter has more than 64 comparisons",
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
