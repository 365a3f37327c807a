import { groupsOfUserRelation } from "../../domain/groups/groups.fragments";
import type { AttributeMap, SubAttr } from "./filter";

const text = (sql: string, caseExact = false) => ({ kind: "string" as const, sql, caseExact });
const multiSub: Record<string, SubAttr> = {
  value: { kind: "string" },
  display: { kind: "string" },
  type: { kind: "string" },
  primary: { kind: "boolean" },
};
/** Direct memberships, in the groups module's SQL (`{a}` stands for the filter compiler's fresh alias). */
const groupsOfUser = groupsOfUserRelation("{a}", "u.id");
const extra = (attr: string) => ({ kind: "multi" as const, sql: `(u.extras->'${attr}')`, sub: multiSub });

const coreAttributes: AttributeMap = {
  id: { kind: "id", sql: "u.id" },
  externalid: text("u.external_id", true),
  username: text("u.user_name"),
  name: {
    kind: "complex",
    sub: {
      formatted: text("u.name_formatted"),
      givenname: text("u.given_name"),
      familyname: text("u.family_name"),
      middlename: text("u.middle_name"),
      honorificprefix: text("u.honorific_prefix"),
      honorificsuffix: text("u.honorific_suffix"),
    },
  },
  displayname: text("u.display_name"),
  nickname: text("u.nick_name"),
  profileurl: text("u.profile_url", true),
  title: text("u.title"),
  usertype: text("u.user_type"),
  preferredlanguage: text("u.preferred_language"),
  locale: text("u.locale"),
  timezone: text("u.timezone"),
  active: { kind: "boolean", sql: "u.active" },
  emails: { kind: "multi", sql: "u.emails", sub: multiSub, valueIndex: "roster_lower_values(u.emails)" },
  phonenumbers: { kind: "multi", sql: "u.phone_numbers", sub: multiSub },
  addresses: {
    kind: "multi",
    sql: "(u.extras->'addresses')",
    sub: {
      formatted: { kind: "string" },
      streetaddress: { kind: "string", jsonKey: "streetAddress" },
      locality: { kind: "string" },
      region: { kind: "string" },
      postalcode: { kind: "string", jsonKey: "postalCode" },
      country: { kind: "string" },
      type: { kind: "string" },
      primary: { kind: "boolean" },
    },
  },
  ims: extra("ims"),
  photos: extra("photos"),
  entitlements: extra("entitlements"),
  roles: extra("roles"),
  x509certificates: extra("x509Certificates"),
  // Read-only direct memberships (RFC 7643 §4.1.2): `groups.value eq "id"` is an EXISTS on group_members' user_id index.
  groups: {
    kind: "relation",
    from: groupsOfUser.from,
    where: groupsOfUser.where,
    sub: { value: { kind: "id", sql: groupsOfUser.id }, display: { kind: "string", sql: groupsOfUser.display } },
  },
  meta: {
    kind: "complex",
    sub: {
      created: { kind: "datetime", sql: "u.created_at" },
      lastmodified: { kind: "datetime", sql: "u.updated_at" },
      // Lets a root /.search (RFC 7644 §3.4.3) pick a resource type.
      resourcetype: text("'User'"),
    },
  },
};

/** SCIM User attributes -> SQL over `users u`, for filters and sortBy (RFC 7643 §4.1 caseExact rules). */
export const userAttributes: AttributeMap = {
  ...coreAttributes,
  // RFC 7644 §3.10: attribute names may be fully qualified with their schema URN.
  "urn:ietf:params:scim:schemas:core:2.0:user": { kind: "complex", sub: coreAttributes },
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": {
    kind: "complex",
    sub: {
      employeenumber: text("u.employee_number"),
      costcenter: text("u.cost_center"),
      organization: text("u.organization"),
      division: text("u.division"),
      department: text("u.department"),
      manager: { kind: "complex", sub: { value: text("u.manager_id", true) } },
    },
  },
};
