// IdP dialect normaliser: rewrites what Okta and Entra ID really send into the shapes scimmy accepts, before scimmy
// coerces the schema or applies the PatchOp. Shapes only: anything it does not recognise is left for scimmy to judge.
import { normalisePatch } from "./patch";
import { isObject } from "./schema";
import { normaliseResource } from "./values";

/** Rewrites a POST/PUT User body (RFC 7643 §4.1) into the shape scimmy accepts. Returns a new object; never mutates. */
export function normaliseUserBody(body: unknown): unknown {
  return isObject(body) ? normaliseResource(body, { body: true }) : body;
}

/** Rewrites a PatchOp body (RFC 7644 §3.5.2). `current` is the user's current SCIM representation (plain object, as GET would return it). */
export function normalisePatchBody(body: unknown, current: Record<string, unknown>): unknown {
  return normalisePatch(body, current);
}
