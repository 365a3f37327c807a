import type { GroupFields } from "../../domain/groups/group";
import { MemberPatchError, memberIds } from "./dialect/group";
import { isObject } from "./dialect/schema";
import { ScimError, fromScimmy } from "./scim-errors";
import { GROUP_URN, SCIMMY } from "./scimmy";

type Json = Record<string, unknown>;

const CANONICAL: Record<string, string> = {
  schemas: "schemas",
  id: "id",
  externalid: "externalId",
  displayname: "displayName",
  members: "members",
  meta: "meta",
};

export interface GroupBody {
  fields: GroupFields;
  /** Member ids as sent, unchecked: the domain skips those that name no live user. */
  memberIds: string[];
}

/**
 * A POST/PUT Group body (RFC 7643 §4.2, RFC 7644 §3.3) -> the domain write, or a 400 naming the attribute.
 * Names are case-insensitive; extra schema URNs (Entra's ADSCIM Group schema) are accepted and their data ignored;
 * members are read as ids only, so a large member list is never coerced object by object.
 */
export function parseGroupBody(body: unknown): GroupBody {
  if (!isObject(body)) throw new ScimError(400, "invalidSyntax", "The request body must be a JSON object");
  const extensions = new Set(
    (Array.isArray(body.schemas) ? body.schemas : [])
      .filter((s): s is string => typeof s === "string")
      .map((s) => s.toLowerCase()),
  );
  const data: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const name = CANONICAL[key.toLowerCase()];
    if (name) data[name] = value;
    else if (!extensions.has(key.toLowerCase()))
      throw new ScimError(400, "invalidValue", `Unknown attribute '${key}' for resource type Group`);
  }
  let ids: string[] = [];
  try {
    if (data.members !== undefined && data.members !== null) {
      if (!Array.isArray(data.members)) throw new MemberPatchError("invalidValue", "members must be a list");
      ids = memberIds(data.members);
    }
  } catch (e) {
    if (e instanceof MemberPatchError) throw new ScimError(400, e.scimType, e.message);
    throw e;
  }
  const coerced = coerceGroup({ displayName: data.displayName, externalId: data.externalId });
  return {
    fields: { displayName: String(coerced.displayName ?? ""), externalId: str(coerced.externalId) },
    memberIds: ids,
  };
}

/** scimmy's schema coercion of the group's own attributes; its TypeErrors become 400s. */
function coerceGroup(data: Json): Json {
  const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null));
  try {
    return JSON.parse(JSON.stringify(new SCIMMY.Schemas.Group({ schemas: [GROUP_URN], ...defined }, "in"))) as Json;
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid Group");
  }
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
