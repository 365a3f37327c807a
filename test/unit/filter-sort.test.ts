import { compileSortKey, FilterError } from "../../src/http/scim/filter";
import { addresses, ENT, enterprise, filterMap } from "../support/filter-map";

const map = filterMap(["id", "username", "externalid", "active", "name", "emails", "ims", "meta"], {
  addresses: addresses({ locality: { kind: "string" } }),
  ...enterprise({ manager: true }),
});

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
    expect(s("ims")).toBe(
      "(SELECT srt.el->>'value' FROM jsonb_array_elements(COALESCE((u.extras->'ims'), '[]'::jsonb)) WITH ORDINALITY AS srt(el, ord) ORDER BY srt.ord LIMIT 1)",
    );
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
