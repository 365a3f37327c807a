import { MemberOp } from "../../../domain/groups/group";
import { SCIMMY } from "../scimmy";
import { canonicalMessageKeys } from "./patch";
import { Json, isObject } from "./schema";
import { stripNullRefs } from "./values";

/** A group PatchOp split in two: member operations (applied as SQL set operations) and the rest (for scimmy's PatchOp). */
export interface GroupPatch {
  /** The whole message, op names lower-cased: scimmy validates its shape. */
  message: Json;
  memberOps: MemberOp[];
  /** Operations on displayName, externalId, ...: applied by scimmy to a Group instance that has no members. */
  attributeOps: Json[];
}

/** An error in a member operation, phrased for the client (the door answers 400 with the scimType). */
export class MemberPatchError extends Error {
  constructor(readonly scimType: "invalidPath" | "invalidValue" | "invalidFilter", message: string) {
    super(message);
  }
}

const CORE_PREFIX = "urn:ietf:params:scim:schemas:core:2.0:group:";
const OPS = new Set(["add", "remove", "replace"]);

/**
 * Rewrites what Okta and Entra send to /Groups (RFC 7644 §3.5.2): capitalised ops, `$ref: null` members, Entra's
 * remove with a value list, `members[value eq "id"]` paths, Okta's path-less `{id, displayName}` rename, and splits
 * member operations from the rest so the member list is never read to patch it.
 */
export function splitGroupPatch(body: unknown): GroupPatch {
  if (!isObject(body)) return { message: body as Json, memberOps: [], attributeOps: [] };
  const message = canonicalMessageKeys(body);
  const ops = message.Operations;
  if (!Array.isArray(ops)) return { message, memberOps: [], attributeOps: [] };
  const memberOps: MemberOp[] = [];
  const attributeOps: Json[] = [];
  message.Operations = ops.map((raw: unknown) => {
    if (!isObject(raw) || typeof raw.op !== "string" || !OPS.has(raw.op.toLowerCase())) return raw;
    const op = { ...raw, op: raw.op.toLowerCase() } as Json & { op: string };
    if ("value" in op) op.value = stripNullRefs(op.value);
    split(op, memberOps, attributeOps);
    return op;
  });
  return { message, memberOps, attributeOps };
}

function split(op: Json & { op: string }, memberOps: MemberOp[], attributeOps: Json[]): void {
  if (typeof op.path === "string") {
    const path = op.path.trim().replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/i, "");
    if (!/^members\b/i.test(path)) return void attributeOps.push(op);
    return void memberOps.push(memberPathOp(op.op, path, op.value, "value" in op));
  }
  if (op.path === undefined && op.op !== "remove" && isObject(op.value)) {
    const rest: Json = {};
    for (const [key, value] of Object.entries(op.value)) {
      const name = key.toLowerCase().startsWith(CORE_PREFIX) ? key.slice(CORE_PREFIX.length) : key;
      if (name.toLowerCase() === "members") memberOps.push(memberPathOp(op.op, "members", value, true));
      // Okta sends the group's own id with every rename; id is readOnly and never changes.
      else if (name.toLowerCase() !== "id") rest[key] = value;
    }
    if (Object.keys(rest).length) attributeOps.push({ ...op, value: rest });
    return;
  }
  attributeOps.push(op);
}

function memberPathOp(op: string, path: string, value: unknown, hasValue: boolean): MemberOp {
  const filtered = /^members\s*\[(.*)\]$/is.exec(path);
  if (filtered) {
    if (op !== "remove") throw new MemberPatchError("invalidPath", `'${op}' with a filtered path on members is not supported: use path "members" with a value list`);
    return { op: "remove", ids: idsFromFilter(filtered[1]) };
  }
  if (path.toLowerCase() !== "members") throw new MemberPatchError("invalidPath", `'${path}': a member's sub-attributes are immutable; add or remove the member instead`);
  if (op === "remove") return hasValue && value !== null ? { op: "remove", ids: memberIds(value) } : { op: "removeAll" };
  const ids = value === null ? [] : memberIds(value);
  if (op === "replace") return ids.length ? { op: "replace", ids } : { op: "removeAll" };
  return { op: "add", ids };
}

/** `value eq "a" or value eq "b"`, parsed by scimmy; any other member filter is refused by name. */
function idsFromFilter(expression: string): string[] {
  let branches: unknown[];
  try {
    branches = [...new SCIMMY.Types.Filter(expression)];
  } catch {
    throw new MemberPatchError("invalidFilter", `Invalid member filter '${expression}'`);
  }
  return branches.map((b) => {
    const entries = isObject(b) ? Object.entries(b) : [];
    const [key, cond] = entries[0] ?? [];
    if (entries.length !== 1 || key?.toLowerCase() !== "value" || !Array.isArray(cond) || cond[0] !== "eq" || typeof cond[1] !== "string") {
      throw new MemberPatchError("invalidFilter", `Member filter '${expression}' is not supported: use value eq "<id>" (joined with or)`);
    }
    return cond[1];
  });
}

/** A member list (or one member object) -> the ids it names; each member needs a string `value`. */
export function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m, i) => {
    const v = isObject(m) ? Object.entries(m).find(([k]) => k.toLowerCase() === "value")?.[1] : undefined;
    if (typeof v !== "string" || v.trim() === "") throw new MemberPatchError("invalidValue", `members[${i}].value is required and must be a string`);
    if (isObject(m)) {
      const type = Object.entries(m).find(([k]) => k.toLowerCase() === "type")?.[1];
      if (typeof type === "string" && type.toLowerCase() === "group") throw new MemberPatchError("invalidValue", `members[${i}]: nested groups are not supported, members must be users`);
    }
    return v;
  });
}
