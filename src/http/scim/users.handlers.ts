import type { Ctx } from "../../domain/context";
import type { User, UserWrite } from "../../domain/users/user";
import { profileOf } from "../../domain/users/user-rows";
import type { UsersService } from "../../domain/users/users.service";
import { normalisePatchBody } from "./dialect";
import { isObject } from "./dialect/schema";
import { activeOnlyPatch } from "./patch-active";
import { refuseTooManyOperations } from "./patch-limit";
import { ScimError, fromScimmy } from "./scim-errors";
import { SCIMMY } from "./scimmy";
import { parseUserBody } from "./user-input";
import { fromScimUser, toScimUser } from "./user.mapper";

export interface UserHandlerDeps {
  users: UsersService;
  maxPatchOperations: number;
  /** Refuse (400) rather than ignore attributes the User schema does not know (SCIM_STRICT_ATTRIBUTES). */
  strictAttributes?: boolean;
}

/** What a SCIM write produced, for a route or a bulk operation to present (resource undefined for 204). */
export interface ScimWriteResult {
  status: number;
  location?: string;
  version?: number;
  resource?: Record<string, unknown>;
}

/** POST /Users (RFC 7644 §3.3): 201 with the created (or restored) user. */
export async function createUser(
  deps: UserHandlerDeps,
  ctx: Ctx,
  body: unknown,
  baseUrl: string,
): Promise<ScimWriteResult> {
  const write = parseUserBody(body, ctx, deps.strictAttributes);
  const user = await deps.users.create(ctx, write, "scim", ctx.actor.name ?? null);
  return written(201, user, baseUrl);
}

/** PUT /Users/{id} (RFC 7644 §3.5.1): full replace; `ifMatch` are the versions the client accepts. */
export async function replaceUser(
  deps: UserHandlerDeps,
  ctx: Ctx,
  id: string,
  body: unknown,
  baseUrl: string,
  ifMatch?: number[],
): Promise<ScimWriteResult> {
  const write = parseUserBody(body, ctx, deps.strictAttributes);
  const { user } = await deps.users.replace(ctx, id, write, { ifMatch });
  return written(200, user, baseUrl);
}

/** PATCH /Users/{id} (RFC 7644 §3.5.2): scimmy's PatchOp applied to the current state inside UsersService.update. */
export async function patchUser(
  deps: UserHandlerDeps,
  ctx: Ctx,
  id: string,
  body: unknown,
  baseUrl: string,
  ifMatch?: number[],
): Promise<ScimWriteResult> {
  refuseTooManyOperations(body, deps.maxPatchOperations);
  // Switching a person on or off alone (patch-active.ts): the same update, without scimmy, in one statement if it can.
  const active = activeOnlyPatch(body);
  const { user } =
    active === undefined
      ? await deps.users.update(ctx, id, (current) => applyPatch(body, current, baseUrl), { ifMatch })
      : await deps.users.pushActive(ctx, id, active, { ifMatch });
  return written(200, user, baseUrl);
}

/** DELETE /Users/{id} (RFC 7644 §3.6): 204; the account is kept, removed from SCIM. */
export async function deleteUser(
  deps: UserHandlerDeps,
  ctx: Ctx,
  id: string,
  ifMatch?: number[],
): Promise<ScimWriteResult> {
  await deps.users.remove(ctx, id, { ifMatch });
  return { status: 204 };
}

function written(status: number, user: User, baseUrl: string): ScimWriteResult {
  return {
    status,
    location: `${baseUrl}/Users/${user.id}`,
    version: user.version,
    resource: toScimUser(user, baseUrl),
  };
}

/** Runs scimmy's PatchOp engine (RFC 7644 §3.5.2) on the current state; UsersService validates and writes the result. */
async function applyPatch(body: unknown, current: User, baseUrl: string): Promise<UserWrite> {
  const scim = toScimUser(current, baseUrl);
  const normalised = normalisePatchBody(body, scim);
  // Every operation was a no-op (an add of values already held, RFC 7644 §3.5.2.1): nothing to apply.
  if (
    isObject(normalised) &&
    Array.isArray(normalised.Operations) &&
    normalised.Operations.length === 0 &&
    hasOperations(body)
  )
    return { profile: profileOf(current) };
  const message = newPatchOp(normalised);
  const { meta: _meta, ...data } = scim;
  const patched = await message.apply(new SCIMMY.Schemas.User(data, "out")).catch((e: unknown) => {
    throw fromScimmy(e, "invalidValue", "Invalid PATCH value");
  });
  if (!patched) return { profile: profileOf(current) };
  // scimmy coerced every value it set on the instance; the domain rules run on the result.
  // The password is kept on the instance but left out of its JSON form (returned: never).
  const password = (patched as unknown as { password?: unknown }).password;
  return fromScimUser({ ...JSON.parse(JSON.stringify(patched)), password });
}

const hasOperations = (body: unknown) =>
  isObject(body) &&
  Object.entries(body).some(([k, v]) => k.toLowerCase() === "operations" && Array.isArray(v) && v.length > 0);

function newPatchOp(body: unknown): InstanceType<typeof SCIMMY.Messages.PatchOp> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ScimError(400, "invalidSyntax", "The request body must be a PatchOp object");
  try {
    return new SCIMMY.Messages.PatchOp(body as never);
  } catch (e) {
    throw fromScimmy(e, "invalidSyntax", "Invalid PatchOp");
  }
}
