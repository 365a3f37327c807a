import type { Ctx } from "./context";

/** Whether something placed in `entityId` is within `scope`. A limited actor never reaches what has no entity. */
export function reaches(scope: readonly string[] | null, entityId: string | null): boolean {
  return scope === null || (entityId !== null && scope.includes(entityId));
}

/** The entities (sub-entities included) an actor is limited to, or null when they reach the whole organisation. */
export const scopeOf = (ctx: Ctx): readonly string[] | null =>
  Array.isArray(ctx.entityScope) ? ctx.entityScope : null;

/** Whether something placed in `entityId` is within the actor's reach. A limited actor never reaches what has no entity. */
export function inScope(ctx: Ctx, entityId: string | null): boolean {
  return reaches(scopeOf(ctx), entityId);
}
