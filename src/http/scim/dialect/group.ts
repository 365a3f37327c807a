import type { MemberOp } from "../../../domain/groups/group";
import { SCIMMY } from "../scimmy";
import { canonicalMessageKeys } from "./patch";
import { type Json, isObject } from "./schema";
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
  constructor(
    readonly scimType: "invalidPath" | "invalidValue" | "invalidFilter",
    message: string,
  ) {
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
    if (op !== "remove")
      throw new MemberPatchError(
        "invalidPath",
        `'${op}' with a filtered path on members is not supported: use path "members" with a value list`,
      );
    return { op: "remove", ids: idsFromFilter(filtered[1]) };
  }
  if (path.toLowerCase() !== "members")
    throw new MemberPatchError(
      "invalidPath",
      `'${path}': a member's sub-attributes are immutable; add or remove the member instead`,
    );
  if (op === "remove")
    return hasValue && value !== null ? { op: "remove", ids: memberIds(value) } : { op: "removeAll" };
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
    if (
      entries.length !== 1 ||
      key?.toLowerCase() !== "value" ||
      !Array.isArray(cond) ||
      cond[0] !== "eq" ||
      typeof cond[1] !== "string"
    ) {
      throw new MemberPatchError(
        "invalidFilter",
        `Member filter '${expression}' is not supported: use value eq "<id>" (joined with or)`,
      );
    }
    return cond[1];
  });
}

/**
 * A member list (or one member) -> the ids it names (RFC 7643 §4.2 `members.value`). A member is `{"value": "<id>"}`
 * or, as some clients send it, the bare id string; anything else is refused saying what is wrong with it.
 */
export function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m, i) => {
    if (typeof m === "string") {
      if (m.trim() === "")
        throw new MemberPatchError(
          "invalidValue",
          `members[${i}] is an empty string: send a user id, or {"value": "<user id>"}`,
        );
      return m;
    }
    if (!isObject(m))
      throw new MemberPatchError(
        "invalidValue",
        `members[${i}] is ${describe(m)}: send {"value": "<user id>"} or the user id as a string`,
      );
    const v = Object.entries(m).find(([k]) => k.toLowerCase() === "value")?.[1];
    if (v === undefined)
      throw new MemberPatchError("invalidValue", `members[${i}].value is missing: send {"value": "<user id>"}`);
    if (typeof v !== "string")
      throw new MemberPatchError("invalidValue", `members[${i}].value is ${describe(v)}: it must be a user id string`);
    if (v.trim() === "")
      throw new MemberPatchError("invalidValue", `members[${i}].value is an empty string: it must be a user id`);
    const type = Object.entries(m).find(([k]) => k.toLowerCase() === "type")?.[1];
    if (typeof type === "string" && type.toLowerCase() === "group")
      throw new MemberPatchError(
        "invalidValue",
        `members[${i}]: nested groups are not supported, members must be users`,
      );
    return v;
  });
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}
