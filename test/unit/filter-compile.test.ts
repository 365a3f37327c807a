import { type AttributeMap, compileFilter } from "../../src/http/scim/filter";
import { addresses, ENT, enterprise, filterMap } from "../support/filter-map";

const map = filterMap(
  ["id", "username", "externalid", "displayname", "title", "active", "logincount", "name", "emails", "meta"],
  {
    addresses: addresses({ postalcode: { kind: "string", jsonKey: "postalCode" }, type: { kind: "string" } }),
    ...enterprise({ manager: true }),
  },
);

const c = (filter: string, opts?: Parameters<typeof compileFilter>[2]) => compileFilter(filter, map, opts);
const EMAILS = "jsonb_array_elements(COALESCE(u.emails, '[]'::jsonb))";
const TITLE_PR = "(u.title IS NOT NULL AND u.title <> '')";

describe("compileFilter: string comparisons (RFC 7644 §3.4.2.2)", () => {
  it("compiles eq on a case-insensitive string to lower() = lower($1), index-friendly", () => {
    expect(c('userName eq "BJensen"')).toEqual({ sql: "lower(u.user_name) = lower($1)", params: ["BJensen"] });
  });

  it.each([
    ["ne", "lower(u.title) IS DISTINCT FROM lower($1)", "Boss"],
    ["gt", "lower(u.title) > lower($1)", "Boss"],
    ["ge", "lower(u.title) >= lower($1)", "Boss"],
    ["lt", "lower(u.title) < lower($1)", "Boss"],
    ["le", "lower(u.title) <= lower($1)", "Boss"],
    ["co", "lower(u.title) LIKE lower($1)", "%Boss%"],
    ["sw", "lower(u.title) LIKE lower($1)", "Boss%"],
    ["ew", "lower(u.title) LIKE lower($1)", "%Boss"],
  ])("compiles %s", (op, sql, param) => {
    expect(c(`title ${op} "Boss"`)).toEqual({ sql, params: [param] });
  });

  it("compiles pr on a string as not null and not empty", () => {
    expect(c("title pr")).toEqual({ sql: TITLE_PR, params: [] });
  });

  it("compiles eq null / ne null to IS NULL / IS NOT NULL", () => {
    expect(c("title eq null")).toEqual({ sql: "u.title IS NULL", params: [] });
    expect(c("title ne null")).toEqual({ sql: "u.title IS NOT NULL", params: [] });
  });

  it("compares caseExact attributes without lower()", () => {
    expect(c('externalId eq "AbC"')).toEqual({ sql: "u.external_id = $1", params: ["AbC"] });
    expect(c('externalId sw "Ab"')).toEqual({ sql: "u.external_id LIKE $1", params: ["Ab%"] });
    expect(c('externalId ne "AbC"').sql).toBe("u.external_id IS DISTINCT FROM $1");
  });

  it("escapes LIKE wildcards and backslashes in co/sw/ew values", () => {
    expect(c('title co "50%_x"').params).toEqual(["%50\\%\\_x%"]);
    expect(c('title ew "a\\\\b"').params).toEqual(["%a\\\\b"]); // filter value a\\b is JSON for a\b
  });

  it("decodes JSON escapes in values", () => {
    expect(c('title eq "Caf\\u00e9"').params).toEqual(["Café"]);
  });

  it("accepts operators and attribute names in any case", () => {
    expect(c('USERNAME EQ "x" AND Title PR')).toEqual({
      sql: `(lower(u.user_name) = lower($1) AND ${TITLE_PR})`,
      params: ["x"],
    });
    expect(c('Name.FamilyName Sw "J"')).toEqual({ sql: "lower(u.family_name) LIKE lower($1)", params: ["J%"] });
    expect(c('EMAILS[TYPE eq "work"]').sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1))`,
    );
  });

  it("never puts a value in the SQL text", () => {
    const r = c('title eq "x\'); DROP TABLE users; --" or userName co "$1"');
    expect(r.sql).toBe("(lower(u.title) = lower($1) OR lower(u.user_name) LIKE lower($2))");
    expect(r.params).toEqual(["x'); DROP TABLE users; --", "%$1%"]);
  });
});

describe("compileFilter: booleans, dates, ids, integers", () => {
  it("compiles boolean eq/ne/pr and accepts Entra's string booleans", () => {
    expect(c("active eq true")).toEqual({ sql: "u.active = $1", params: [true] });
    expect(c('active eq "False"')).toEqual({ sql: "u.active = $1", params: [false] });
    expect(c('active ne "TRUE"')).toEqual({ sql: "u.active IS DISTINCT FROM $1", params: [true] });
    expect(c("active pr")).toEqual({ sql: "u.active IS NOT NULL", params: [] });
  });

  // Compared at the millisecond shown (decision 0070), as ranges on the stored column.
  const FLOOR = "date_trunc('milliseconds', $1::timestamptz)";
  const CEIL = "date_trunc('milliseconds', $1::timestamptz + interval '999 microseconds')";
  const NEXT = `(${FLOOR} + interval '1 millisecond')`;
  it.each([
    ["eq", `(u.updated_at >= ${CEIL} AND u.updated_at < ${NEXT})`],
    ["gt", `u.updated_at >= ${NEXT}`],
    ["ge", `u.updated_at >= ${CEIL}`],
    ["lt", `u.updated_at < ${CEIL}`],
    ["le", `u.updated_at < ${NEXT}`],
  ])("compiles meta.lastModified %s as a timestamptz range at the millisecond shown", (op, sql) => {
    expect(c(`meta.lastModified ${op} "2020-01-01T00:00:00Z"`)).toEqual({ sql, params: ["2020-01-01T00:00:00Z"] });
  });

  it("normalises dates: date-only and no offset mean UTC, offsets get a colon", () => {
    expect(c('meta.created ge "2020-01-31"').params).toEqual(["2020-01-31T00:00:00Z"]);
    expect(c('meta.created ge "2020-01-31 10:20"').params).toEqual(["2020-01-31T10:20:00Z"]);
    expect(c('meta.created lt "2020-01-31T10:20:30.123456+0530"').params).toEqual(["2020-01-31T10:20:30.123456+05:30"]);
    expect(c('meta.created lt "2015-10-10T14:38:21.8617979-07:00"').params).toEqual([
      "2015-10-10T14:38:21.861797-07:00",
    ]);
    expect(c('meta.created ne "2020-02-29T00:00:00Z"')).toEqual({
      sql: `NOT (u.created_at IS NOT NULL AND (u.created_at >= ${CEIL} AND u.created_at < ${NEXT}))`,
      params: ["2020-02-29T00:00:00Z"],
    });
    expect(c("meta.created pr").sql).toBe("u.created_at IS NOT NULL");
  });

  it("compares a uuid id natively and anything else as text, lower-cased", () => {
    expect(c('id eq "2819C223-7F76-453A-919D-413861904646"')).toEqual({
      sql: "u.id = $1::uuid",
      params: ["2819c223-7f76-453a-919d-413861904646"],
    });
    expect(c('id eq "not-a-uuid"')).toEqual({ sql: "u.id::text = $1", params: ["not-a-uuid"] });
    expect(c('id sw "2819C"')).toEqual({ sql: "u.id::text LIKE $1", params: ["2819c%"] });
    expect(c("id pr").sql).toBe("u.id IS NOT NULL");
  });

  it("compiles integer comparisons numerically", () => {
    expect(c("loginCount ge 3")).toEqual({ sql: "u.login_count >= $1::numeric", params: [3] });
    expect(c("loginCount ne 0").sql).toBe("u.login_count IS DISTINCT FROM $1::numeric");
  });
});

describe("compileFilter: and / or / not / parentheses", () => {
  const A = "lower(u.user_name) = lower($1)";
  const B = "lower(u.title) = lower($2)";

  it("gives and precedence over or", () => {
    expect(c('userName eq "a" or title eq "b" and active eq true').sql).toBe(`(${A} OR (${B} AND u.active = $3))`);
  });

  it("applies De Morgan to not (a and b): (not a) or (not b)", () => {
    expect(c('not (userName eq "a" and title eq "b")').sql).toBe(
      `(NOT COALESCE(${A}, false) OR NOT COALESCE(${B}, false))`,
    );
  });

  it("applies De Morgan to not (a or b): (not a) and (not b)", () => {
    expect(c('not (userName eq "a" or title pr)')).toEqual({
      sql: `(NOT COALESCE(${A}, false) AND NOT (${TITLE_PR}))`,
      params: ["a"],
    });
  });

  it("makes a negated comparison match resources without the attribute", () => {
    // COALESCE(NULL = x, false) is false, so NOT ... is true for a user without a title.
    expect(c('not (title eq "x")').sql).toBe("NOT COALESCE(lower(u.title) = lower($1), false)");
    expect(c('not(title ne "x")').sql).toBe("NOT (lower(u.title) IS DISTINCT FROM lower($1))");
    expect(c('not not (title eq "x")').sql).toBe("lower(u.title) = lower($1)");
  });

  it("handles nested parentheses", () => {
    expect(c('(userName eq "a" or (title eq "b" and active eq true))').sql).toBe(`(${A} OR (${B} AND u.active = $3))`);
    expect(c('((userName eq "a"))')).toEqual({ sql: A, params: ["a"] });
    expect(c('not (userName eq "a" or not (title eq "b" and active eq false))').sql).toBe(
      `(NOT COALESCE(${A}, false) AND (${B} AND u.active = $3))`,
    );
  });

  it("keeps grouping when and-ing or-groups (no DNF expansion)", () => {
    const r = c('(userName eq "a" or userName eq "b") and (title eq "c" or title eq "d")');
    expect(r.sql).toBe(
      "((lower(u.user_name) = lower($1) OR lower(u.user_name) = lower($2)) AND (lower(u.title) = lower($3) OR lower(u.title) = lower($4)))",
    );
    expect(r.params).toEqual(["a", "b", "c", "d"]);
  });

  it("compiles the mixed example with a sub-attribute inside a group", () => {
    expect(c('userName eq "a" and (emails.value co "x" or title pr)')).toEqual({
      sql: `(${A} AND (EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'value') LIKE lower($2)) OR ${TITLE_PR}))`,
      params: ["a", "%x%"],
    });
  });

  it("does not treat keywords inside quoted values as logic", () => {
    expect(c('title eq "salt and (pepper) or not"')).toEqual({
      sql: "lower(u.title) = lower($1)",
      params: ["salt and (pepper) or not"],
    });
  });
});

describe("compileFilter: multi-valued attributes and value paths", () => {
  it("applies all conditions of a value filter to the same element", () => {
    expect(c('emails[type eq "work" and value ew "@x.com"]')).toEqual({
      sql: `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1) AND lower(e1->>'value') LIKE lower($2))`,
      params: ["work", "%@x.com"],
    });
  });

  it("supports a sub-attribute after the value filter", () => {
    expect(c('emails[type eq "work"].value eq "x"').sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1) AND lower(e1->>'value') = lower($2))`,
    );
  });

  it("targets value for a comparison on the bare attribute", () => {
    expect(c('emails co "x"').sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'value') LIKE lower($1))`,
    );
    expect(c('emails eq "a@x.com"').sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'value') = lower($1))`,
    );
  });

  it("treats separate comparisons as separate elements, with unique aliases", () => {
    expect(c('emails.type eq "work" and emails.value co "x"').sql).toBe(
      `(EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1)) AND EXISTS (SELECT 1 FROM ${EMAILS} AS e2 WHERE lower(e2->>'value') LIKE lower($2)))`,
    );
    // scimmy alone would drop the second comparison here.
    expect(c('emails co "x" and emails.type eq "work"').params).toEqual(["%x%", "work"]);
  });

  it("compiles or inside a value filter as alternative elements", () => {
    expect(c('emails[type eq "work" or primary eq true]')).toEqual({
      sql: `(EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1)) OR EXISTS (SELECT 1 FROM ${EMAILS} AS e2 WHERE (e2->>'primary')::boolean = $2))`,
      params: ["work", true],
    });
  });

  it("negates a comparison inside a value filter", () => {
    expect(c('emails[not type eq "work"]').sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE NOT COALESCE(lower(e1->>'type') = lower($1), false))`,
    );
  });

  it("compiles pr on the attribute as a non-empty array, and its negation", () => {
    expect(c("emails pr").sql).toBe("jsonb_array_length(COALESCE(u.emails, '[]'::jsonb)) > 0");
    expect(c("not (emails pr)").sql).toBe("NOT (jsonb_array_length(COALESCE(u.emails, '[]'::jsonb)) > 0)");
    expect(c("emails.value pr").sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE (e1->>'value' IS NOT NULL AND e1->>'value' <> ''))`,
    );
  });

  it("negates a value filter as NOT EXISTS", () => {
    expect(c('not (emails[type eq "work"])').sql).toBe(
      `NOT (EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($1)))`,
    );
  });

  it("uses jsonKey for camelCase keys inside elements", () => {
    expect(c('addresses[postalCode eq "123"]').sql).toBe(
      "EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE((u.extras->'addresses'), '[]'::jsonb)) AS e1 WHERE lower(e1->>'postalCode') = lower($1))",
    );
  });
});

describe("compileFilter: complex attributes and schema URNs", () => {
  it("recurses into complex attributes", () => {
    expect(c('name.givenName eq "Barbara" and name.familyName eq "Jensen"').sql).toBe(
      "(lower(u.given_name) = lower($1) AND lower(u.family_name) = lower($2))",
    );
  });

  it("compiles pr on a complex attribute as any sub-attribute present", () => {
    expect(c("name pr").sql).toBe(
      "((u.given_name IS NOT NULL AND u.given_name <> '') OR (u.family_name IS NOT NULL AND u.family_name <> ''))",
    );
  });

  it("resolves URN-qualified attributes, in any case", () => {
    expect(c(`${ENT}:department eq "Eng"`)).toEqual({ sql: "lower(u.department) = lower($1)", params: ["Eng"] });
    expect(c(`${ENT.toUpperCase()}:Department eq "Eng"`).sql).toBe("lower(u.department) = lower($1)");
    expect(c(`${ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toEqual({
      sql: "u.manager_id = $1",
      params: ["26118915-6090-4610-87e4-49d8ca9f808d"],
    });
  });

  it("resolves core-schema-qualified names when the map has the core URN key", () => {
    const core = "urn:ietf:params:scim:schemas:core:2.0:user";
    const withCore: AttributeMap = {
      ...map,
      [core]: { kind: "complex", sub: { name: map.name, username: map.username } },
    };
    expect(
      compileFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O\'Malley"', withCore),
    ).toEqual({ sql: "lower(u.family_name) LIKE lower($1)", params: ["%O'Malley%"] });
  });
});

describe("compileFilter: placeholders", () => {
  it("numbers placeholders from paramOffset + 1", () => {
    expect(
      c('userName eq "a" and emails[type eq "work"] and meta.created gt "2020-01-01"', { paramOffset: 3 }),
    ).toEqual({
      sql: `(lower(u.user_name) = lower($4) AND EXISTS (SELECT 1 FROM ${EMAILS} AS e1 WHERE lower(e1->>'type') = lower($5)) AND u.created_at >= (date_trunc('milliseconds', $6::timestamptz) + interval '1 millisecond'))`,
      params: ["a", "work", "2020-01-01T00:00:00Z"],
    });
  });

  it("accepts exactly maxTerms comparisons", () => {
    const filter = Array.from({ length: 64 }, (_, i) => `title eq "t${i}"`).join(" or ");
    const r = c(filter);
    expect(r.params).toHaveLength(64);
    expect(r.sql).toContain("$64");
  });
});

describe("escaped quotes in values (RFC 7644 §3.4.2.2: compValue is a JSON string)", () => {
  it('decodes \\" into a quote, also inside value filters and next to an escaped backslash', () => {
    expect(c('userName eq "Conan \\"The\\" O\'Brien"').params).toEqual(['Conan "The" O\'Brien']);
    expect(c('emails[value eq "a\\"b"]').params).toEqual(['a"b']);
    expect(c('userName eq "ends with backslash\\\\" or title eq "x"').params).toEqual(["ends with backslash\\", "x"]);
  });
});
