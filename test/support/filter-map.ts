/** The attribute maps the filter and sort unit tests compile against (test/unit/filter-*.test.ts). */
import type { AttributeMap, ComplexAttr, MultiAttr } from "../../src/http/scim/filter";
import { ENTERPRISE } from "./factories";

export const ENT = ENTERPRISE;

/** A users table as the compiler sees it: the attributes a test map picks from (keys are lower-cased names). */
export const USER_ATTRS = {
  id: { kind: "id", sql: "u.id" },
  username: { kind: "string", sql: "u.user_name" },
  externalid: { kind: "string", sql: "u.external_id", caseExact: true },
  displayname: { kind: "string", sql: "u.display_name" },
  title: { kind: "string", sql: "u.title" },
  active: { kind: "boolean", sql: "u.active" },
  logincount: { kind: "integer", sql: "u.login_count" },
  name: {
    kind: "complex",
    sub: { givenname: { kind: "string", sql: "u.given_name" }, familyname: { kind: "string", sql: "u.family_name" } },
  },
  emails: {
    kind: "multi",
    sql: "u.emails",
    sub: { value: { kind: "string" }, type: { kind: "string" }, primary: { kind: "boolean" } },
  },
  ims: { kind: "multi", sql: "(u.extras->'ims')", sub: { value: { kind: "string", caseExact: true } } },
  meta: {
    kind: "complex",
    sub: {
      created: { kind: "datetime", sql: "u.created_at" },
      lastmodified: { kind: "datetime", sql: "u.updated_at" },
    },
  },
} satisfies AttributeMap;

/** `addresses`, a jsonb array in the extras column, with the given sub-attributes. */
export const addresses = (sub: MultiAttr["sub"]): MultiAttr => ({ kind: "multi", sql: "(u.extras->'addresses')", sub });

/** The enterprise extension under its lower-cased URN: department, and manager.value when asked for. */
export function enterprise(opts: { manager: boolean }): AttributeMap {
  const sub: ComplexAttr["sub"] = { department: { kind: "string", sql: "u.department" } };
  if (opts.manager)
    sub.manager = { kind: "complex", sub: { value: { kind: "string", sql: "u.manager_id", caseExact: true } } };
  return { [ENT.toLowerCase()]: { kind: "complex", sub } };
}

/** A map of the named USER_ATTRS plus `extra` (addresses, the enterprise extension...). */
export function filterMap(keys: Array<keyof typeof USER_ATTRS>, extra: AttributeMap = {}): AttributeMap {
  return { ...Object.fromEntries(keys.map((k) => [k, USER_ATTRS[k]])), ...extra };
}
