import type { Group, Member } from "../../domain/groups/group";
import { etagOf } from "./user.mapper";
import { GROUP_URN } from "./scimmy";

type Json = Record<string, unknown>;

/** Domain group -> SCIM Group (RFC 7643 §4.2) without `members`, which are streamed separately (group-writer.ts). */
export function toScimGroup(g: Group, baseUrl: string): Json {
  const out: Json = { schemas: [GROUP_URN], id: g.id };
  if (g.externalId !== null) out.externalId = g.externalId;
  out.displayName = g.displayName;
  out.meta = {
    resourceType: "Group",
    created: g.createdAt.toISOString(),
    lastModified: g.updatedAt.toISOString(),
    location: `${baseUrl}/Groups/${g.id}`,
    version: etagOf(g.version),
  };
  return out;
}

/** One member (RFC 7643 §4.2 `members`): always a user, with its display name and a $ref to it. */
export function toScimMember(m: Member, baseUrl: string): Json {
  return { value: m.id, display: m.display, $ref: `${baseUrl}/Users/${m.id}`, type: "User" };
}
