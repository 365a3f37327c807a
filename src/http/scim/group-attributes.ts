import { membersOfGroupRelation } from "../../domain/groups/groups.fragments";
import type { AttributeMap } from "./filter";

/** Live members, in the groups module's SQL (`{a}` stands for the filter compiler's fresh alias). */
const members = membersOfGroupRelation("{a}", "g.id");

const coreAttributes: AttributeMap = {
  id: { kind: "id", sql: "g.id" },
  externalid: { kind: "string", sql: "g.external_id", caseExact: true },
  displayname: { kind: "string", sql: "g.display_name", caseExact: false },
  // Members are rows of group_members: `members.value eq "id"` is an EXISTS on its primary key.
  members: {
    kind: "relation",
    from: members.from,
    where: members.where,
    sub: { value: { kind: "id", sql: members.id }, display: { kind: "string", sql: members.display } },
  },
  meta: {
    kind: "complex",
    sub: {
      created: { kind: "datetime", sql: "g.created_at" },
      lastmodified: { kind: "datetime", sql: "g.updated_at" },
      // Lets a root /.search (RFC 7644 §3.4.3) pick a resource type.
      resourcetype: { kind: "string", sql: "'Group'" },
    },
  },
};

/** SCIM Group attributes -> SQL over `groups g`, for filters and sortBy (RFC 7643 §4.2; displayName is caseExact false). */
export const groupAttributes: AttributeMap = {
  ...coreAttributes,
  // RFC 7644 §3.10: attribute names may be fully qualified with their schema URN.
  "urn:ietf:params:scim:schemas:core:2.0:group": { kind: "complex", sub: coreAttributes },
};
