// A SCIM DELETE: the account marked removed, its groups left, in one unit (UsersService.remove).
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { unitOfWork, writeIn } from "../unit-of-work";
import { assertMay } from "./person-access.rules";
import type { UserHooks } from "./user-hooks";
import type { UsersRepository } from "./users.repository";
import { type WriteOptions, checkLive } from "./users-update";

/**
 * IdP removal (SCIM DELETE): the account stays, deactivated and hidden from SCIM, its data kept; it leaves
 * every group in the same transaction (deactivation, by contrast, keeps memberships). What it leaves is kept with
 * the account (leave_snapshot), for the IdP creating the userName again (UserCreation's restore).
 * An active person's removal is also their leave: `user.deactivated` goes out with `user.deleted`.
 */
export async function removeUser(
  ds: DataSource,
  repo: UsersRepository,
  removal: UserHooks["removal"],
  ctx: Ctx,
  id: string,
  opts: WriteOptions,
): Promise<void> {
  await unitOfWork(ds, ctx, async (tx) => {
    await removal.lockIn(tx, id);
    const current = checkLive(ctx, await repo.lockById(tx.manager, id), id, opts);
    assertMay(ctx, "change", current);
    const subject = { type: "user" as const, id };
    const leave = current.active
      ? {
          audits: [{ action: "user.deactivated", subject, changes: { active: { before: true, after: false } } }],
          events: [{ topic: "user.deactivated" as const, payload: { userId: id, wasActive: true, removed: true } }],
        }
      : { audits: [], events: [] };
    await writeIn(tx, repo.markRemoved(id, current.version), {
      audits: [
        ...leave.audits,
        {
          action: "user.deleted",
          subject,
          changes: { active: { before: current.active, after: false }, removed: { before: false, after: true } },
        },
      ],
      events: [...leave.events, { topic: "user.deleted", payload: { userId: id } }],
    });
    await removal.removedIn(tx, id);
  });
}
