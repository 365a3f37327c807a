import { outranks } from "./person-access.rules";
import { scopeOf } from "../scope";
import type { Ctx } from "../context";
import { InvalidError, RefusedError } from "../errors";
import { SYSTEM_ROLES, type UserAccount } from "./user";

const outOfScope = (message: string, field: string) => new RefusedError("out_of_scope", "forbidden", message, field);

/** The same account with its admin scope sorted and without repeats (so a reordered list is no change). */
export function normaliseAccount(a: UserAccount): UserAccount {
  return { ...a, adminScope: [...new Set(a.adminScope.map((id) => id.toLowerCase()))].sort() };
}

/**
 * Pure checks of a person's account as `ctx`'s actor sets it (`before` is null on creation). An actor limited to some
 * entities places people only in those entities, and grants admin or auditor rights only limited to entities of their
 * own scope; they never change the role or scope of someone whose rights reach beyond theirs.
 */
export function assertAccountChange(ctx: Ctx, before: UserAccount | null, after: UserAccount): void {
  // Rights stored earlier are not judged again by a write that leaves them alone (a SCIM PUT, a rename).
  const rightsChanged =
    !before || before.systemRole !== after.systemRole || before.adminScope.join() !== after.adminScope.join();
  if (rightsChanged && !SYSTEM_ROLES.includes(after.systemRole))
    throw new InvalidError("role", `must be one of ${SYSTEM_ROLES.join(", ")}`);
  if (rightsChanged && after.systemRole === "member" && after.adminScope.length > 0)
    throw new InvalidError("adminScope", "only admins and auditors have an admin scope");
  const scope = scopeOf(ctx);
  if (scope === null) return;
  if (after.entityId === null)
    throw outOfScope("an admin limited to some entities places every person in one of them: set entityId", "entityId");
  if (!scope.includes(after.entityId)) throw outOfScope("entityId is outside your admin scope", "entityId");
  if (!rightsChanged) return;
  if (before && outranks({ role: "admin", scope }, before))
    throw outOfScope("this person's admin rights reach beyond your own", "role");
  if (after.systemRole === "member") return;
  if (after.adminScope.length === 0) {
    throw outOfScope(
      "an admin limited to some entities grants admin or auditor rights only limited to entities of their scope: set adminScope",
      "adminScope",
    );
  }
  const outside = after.adminScope.find((id) => !scope.includes(id));
  if (outside) throw outOfScope(`adminScope names ${outside}, outside your admin scope`, "adminScope");
}
