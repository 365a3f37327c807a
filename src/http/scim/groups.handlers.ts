import type { Ctx } from "../../domain/context";
import type { Group, GroupFields, MemberOp } from "../../domain/groups/group";
import type { GroupsService } from "../../domain/groups/groups.service";
import { MemberPatchError, splitGroupPatch } from "./dialect/group";
import { parseGroupBody } from "./group-input";
import { refuseTooManyOperations } from "./patch-limit";
import { toScimGroup, toScimMember } from "./group.mapper";
import { ScimError, fromScimmy } from "./scim-errors";
import { GROUP_URN, PATCH_OP_URN, SCIMMY } from "./scimmy";

export interface GroupHandlerDeps {
  groups: GroupsService;
  maxPatchOperations: number;
}

/** What a group write answers, without express: routes and /Bulk send it their own way. */
export interface HandlerResult {
  status: number;
  location?: string;
  version?: number;
  /** The SCIM JSON to send; undefined for 204. */
  resource?: Record<string, unknown>;
}

/** POST /Groups (RFC 7644 §3.3): 201 with the group and the members that were stored. */
export async function createGroup(
  deps: GroupHandlerDeps,
  ctx: Ctx,
  body: unknown,
  baseUrl: string,
): Promise<HandlerResult> {
  const { fields, memberIds } = parseGroupBody(body);
  const { group, members } = await deps.groups.create(ctx, fields, memberIds);
  const resource = { ...toScimGroup(group, baseUrl), members: (members ?? []).map((m) => toScimMember(m, baseUrl)) };
  return { status: 201, location: `${baseUrl}/Groups/${group.id}`, version: group.version, resource };
}

/** PUT /Groups/{id} (RFC 7644 §3.5.1): the member set becomes the (known) members sent, in SQL (delete-not-in, insert-missing). */
export async function replaceGroup(
  deps: GroupHandlerDeps,
  ctx: Ctx,
  id: string,
  body: unknown,
  baseUrl: string,
  ifMatch?: number[],
): Promise<HandlerResult> {
  const { fields, memberIds } = parseGroupBody(body);
  const members: MemberOp[] = memberIds.length ? [{ op: "replace", ids: memberIds }] : [{ op: "removeAll" }];
  const result = await deps.groups.update(ctx, id, { fields: () => fields, members }, { ifMatch });
  const resource = {
    ...toScimGroup(result.group, baseUrl),
    members: (result.members ?? []).map((m) => toScimMember(m, baseUrl)),
  };
  return { status: 200, location: `${baseUrl}/Groups/${id}`, version: result.group.version, resource };
}

/**
 * PATCH /Groups/{id} (RFC 7644 §3.5.2): member operations as SQL set operations, other attributes through scimmy's
 * PatchOp on a Group without members, all in one transaction. Answers 204 (Entra expects it; Okta accepts it).
 */
export async function patchGroup(
  deps: GroupHandlerDeps,
  ctx: Ctx,
  id: string,
  body: unknown,
  baseUrl: string,
  ifMatch?: number[],
): Promise<HandlerResult> {
  refuseTooManyOperations(body, deps.maxPatchOperations);
  const patch = parsePatch(body);
  const fields = patch.attributeOps.length
    ? (current: Group) => applyAttributeOps(patch.attributeOps, current, baseUrl)
    : undefined;
  const { group } = await deps.groups.update(ctx, id, { fields, members: patch.memberOps }, { ifMatch });
  return { status: 204, location: `${baseUrl}/Groups/${id}`, version: group.version };
}

/** DELETE /Groups/{id} (RFC 7644 §3.6): the group and its memberships go; 204. */
export async function deleteGroup(
  deps: GroupHandlerDeps,
  ctx: Ctx,
  id: string,
  ifMatch?: number[],
): Promise<HandlerResult> {
  await deps.groups.remove(ctx, id, { ifMatch });
  return { status: 204 };
}

function parsePatch(body: unknown): ReturnType<typeof splitGroupPatch> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ScimError(400, "invalidSyntax", "The request body must be a PatchOp object");
  let patch: ReturnType<typeof splitGroupPatch>;
  try {
    patch = splitGroupPatch(body);
  } catch (e) {
    if (e instanceof MemberPatchError) throw new ScimError(400, e.scimType, e.message);
    throw e;
  }
  try {
    // Validates the whole message (schemas, op names, paths and values present where required).
    new SCIMMY.Messages.PatchOp(patch.message as never);
  } catch (e) {
    throw fromScimmy(e, "invalidSyntax", "Invalid PatchOp");
  }
  return patch;
}

async function applyAttributeOps(
  ops: Record<string, unknown>[],
  current: Group,
  baseUrl: string,
): Promise<GroupFields> {
  const { meta: _meta, ...data } = toScimGroup(current, baseUrl);
  const message = new SCIMMY.Messages.PatchOp({ schemas: [PATCH_OP_URN], Operations: ops } as never);
  const patched = await message
    .apply(new SCIMMY.Schemas.Group({ ...data, schemas: [GROUP_URN] }, "out") as never)
    .catch((e: unknown) => {
      throw fromScimmy(e, "invalidValue", "Invalid PATCH value");
    });
  if (!patched) return current;
  const out = JSON.parse(JSON.stringify(patched)) as Record<string, unknown>;
  const externalId =
    out.externalId === undefined || out.externalId === null || out.externalId === "" ? null : String(out.externalId);
  return { displayName: typeof out.displayName === "string" ? out.displayName : "", externalId };
}
