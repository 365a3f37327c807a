import { ScimError } from "./scim-errors";

/**
 * Refuses a PatchOp with more operations than SCIM_PATCH_MAX_OPERATIONS before any of them is looked at: each one is
 * normalised, applied and checked in the write's transaction, so an unbounded list holds a row lock for as long as
 * the client likes. The key is matched case-insensitively, as the dialect normaliser reads it.
 */
export function refuseTooManyOperations(body: unknown, max: number): void {
  if (!body || typeof body !== "object" || Array.isArray(body)) return;
  const ops = Object.entries(body).find(([k]) => k.toLowerCase() === "operations")?.[1];
  if (Array.isArray(ops) && ops.length > max) {
    throw new ScimError(
      400,
      "invalidValue",
      `A PATCH may carry at most ${max} operations (SCIM_PATCH_MAX_OPERATIONS); this one has ${ops.length}`,
    );
  }
}
