import { AttributeMap, compileSortKey, FilterError } from "../../src/http/scim/filter";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const map: AttributeMap = {
  id: { kind: "id", sql: "u.id" },
  username: { kind: "string", sql: "u.user_name" },
  externalid: { kind: "string", sql: "u.external_id", caseExact: true },
  active: { kind: "boolean", sql: "u.active" },
  name: { kind: "complex", sub: { givenname: { kind: "string", sql: "u.given_name" }, familyname: { kind: "string", sql: "u.family_name" } } },
  emails: { kind: "multi", sql: "u.emails", sub: { value: { kind: "string" }, type: { kind: "string" }, primary: { kind: "boolean" } } },
  ims: { kind: "multi", sql: "(u.extras->'ims')", sub: { value: { kind: "string", caseExact: true } } },
  addresses: { kind: "multi", sql: "(u.extras->'addresses')", sub: { locality: { kind: "string" } } },
  meta: { kind: "complex", sub: { created: { kind: "datetime", sql: "u.created_at" }, lastmodified: { kind: "datetime", sql: "u.updated_at" } } },
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": {
    kind: "complex",
    sub: { department: { kind: "string", sql: "u.department" }, manager: { kind: "complex", sub: { value: { kind: "string", sql: "u.manager_id", caseExact: true } } } },
  },
};

const s = (sortBy: string) => compileSortKey(sortBy, map);

describe("compileSortKey (RFC 7644 §3.4.2.3)", () => {
  it.each([
    ["userName", "lower(u.user_name)"],
    ["USERNAME", "lower(u.user_name)"],
    ["externalId", "u.external_id"],
    ["id", "u.id"],
    ["active", "u.active"],
    ["name.familyName", "lower(u.family_name)"],
    ["Name.GivenName", "lower(u.given_name)"],
    ["meta.lastModified", "u.updated_at"],
    [` meta.created `, "u.created_at"],
    [`${ENT}:department`, "lower(u.department)"],
    [`${ENT.toLowerCase()}:Department`, "lower(u.department)"],
    [`${ENT}:manager.value`, "u.manager_id"],
  ])("%s -> %s", (sortBy, sql) => {
    expect(s(sortBy)).toBe(sql);
  });

  it("sorts a multi-valued attribute by the primary, else first, element's value", () => {
    const primary = "ORDER BY (srt.el->>'primary')::boolean IS TRUE DESC, srt.ord LIMIT 1)";
    const from = "FROM jsonb_array_elements(COALESCE(u.emails, '[]'::jsonb)) WITH ORDINALITY AS srt(el, ord)";
    expect(s("emails")).toBe(`(SELECT lower(srt.el->>'value') ${from} ${primary}`);
    expect(s("emails.value")).toBe(`(SELECT lower(srt.el->>'value') ${from} ${primary}`);
    expect(s("Emails.Type")).toBe(`(SELECT lower(srt.el->>'type') ${from} ${primary}`);
    expect(s("ims")).toBe("(SELECT srt.el->>'value' FROM jsonb_array_elements(COALESCE((u.extras->'ims'), '[]'::jsonb)) WITH ORDINALITY AS srt(el, ord) ORDER BY srt.ord LIMIT 1)");
  });

  it.each([
    ["nosuch", "Cannot sort by unknown attribute 'nosuch'"],
    ["name", "Cannot sort by complex attribute 'name': name one of its sub-attributes"],
    ["meta", "Cannot sort by complex attribute 'meta': name one of its sub-attributes"],
    ["name.nosuch", "Cannot sort by unknown attribute 'name.nosuch'"],
    ["userName.x", "Cannot sort by unknown attribute 'userName.x'"],
    ["emails.nosuch", "Cannot sort by unknown attribute 'emails.nosuch'"],
    ["emails.value.x", "Cannot sort by unknown attribute 'emails.value.x'"],
    ["addresses", "Cannot sort by 'addresses': it has no 'value' sub-attribute"],
    [ENT, `Cannot sort by complex attribute '${ENT}': name one of its sub-attributes`],
    [`${ENT}:manager`, `Cannot sort by complex attribute '${ENT}:manager': name one of its sub-attributes`],
    ["constructor", "Cannot sort by unknown attribute 'constructor'"],
    ["", "sortBy is empty"],
  ])("rejects %s", (sortBy, message) => {
    let err: unknown;
    try {
      s(sortBy);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect(err).toMatchObject({ message, status: 400, scimType: "invalidValue" });
  });
});
