import type { Ctx, TxCtx } from "../context";
import { DomainError, NotFoundError, RefusedError, UnavailableError } from "../errors";
import type { ItemResult, JobHandler, JobView } from "./job";
import type { JobsService, UserSelection } from "./jobs.service";
import type { UsersRepository } from "../users/users.repository";
import type { UsersSearch } from "../users/users.search";
import type { UsersService } from "../users/users.service";
import { assertMay } from "../users/person-access.rules";
import type { InvitationsService } from "../invitations/invitations.service";

export type UserAction = "invite" | "disable" | "enable";

/** Invitation refusals that are a skip, not a failure, in a mass invite: there is nothing to send to these people. */
const SKIPPED_INVITES = new Set(["already_joined", "user_inactive"]);
export const USER_ACTIONS: readonly UserAction[] = ["invite", "disable", "enable"];

export interface UserActionResult extends ItemResult {
  id: string;
}

/** Small selections are answered at once (from the outcomes their job recorded); larger ones become a background job. */
export type ActionsAnswer =
  | { mode: "sync"; jobId: string; results: UserActionResult[] }
  | { mode: "job"; job: JobView };

/**
 * Mass actions on users (invite, disable, enable), run as jobs (src/domain/jobs): a refusal is that user's result and an
 * unexpected failure is redone user by user, so one failure changes nothing for the others; disable/enable are
 * UsersService updates (audit and outbox included), so they keep every datum, membership and role, and enabling
 * restores exactly the rights held before.
 */
export class UserActionsService {
  constructor(
    private readonly users: UsersService,
    /** For locking a person's row before an invitation is asked for. */
    private readonly repo: UsersRepository,
    private readonly search: UsersSearch,
    private readonly jobs: JobsService,
    private readonly syncMax: number,
    private readonly invitations: InvitationsService,
  ) {}

  /**
   * Every mass action is a job recorded (with its items) before anything is applied. A small one is then worked through
   * by the request itself, on the runners' claim path, and answered from the recorded outcomes; if the process dies
   * half way, a runner finishes the items left, each once. A larger one is left to the runners (202).
   */
  async run(ctx: Ctx, action: UserAction, selection: UserSelection): Promise<ActionsAnswer> {
    const ids =
      "ids" in selection
        ? [...new Set(selection.ids.map((id) => id.toLowerCase()))]
        : await this.search.selectIds(ctx, selection.filter, this.syncMax + 1);
    if (ids.length > this.syncMax) {
      return {
        mode: "job",
        job: await this.jobs.enqueueUsersAction(ctx, action, "ids" in selection ? { ids } : selection),
      };
    }
    const jobId = await this.jobs.recordUsersAction(ctx, action, selection, ids);
    const items = await this.jobs.runHere(ctx, jobId, { "users.action": this.applyAsJob });
    return {
      mode: "sync",
      jobId,
      results: items.map((i) => ({
        id: i.userId,
        outcome: i.outcome ?? "failed",
        ...(i.reason ? { reason: i.reason } : {}),
      })),
    };
  }

  /** The job handler of `users.action`: one user of a job, inside the transaction that records its outcome. */
  readonly applyAsJob: JobHandler = (tx, job, userId) => this.applyIn(tx, job.action as UserAction, userId);

  /** One user inside the caller's transaction (a job records the outcome in the same one). */
  async applyIn(tx: TxCtx, action: UserAction, id: string): Promise<ItemResult> {
    try {
      return action === "invite" ? await this.invite(tx, id) : await this.setActive(tx, id, action === "enable");
    } catch (e) {
      if (e instanceof NotFoundError) return { outcome: "not_found" };
      if (e instanceof DomainError && !(e instanceof UnavailableError)) return { outcome: "failed", reason: e.code };
      throw e;
    }
  }

  private async setActive(tx: TxCtx, id: string, active: boolean): Promise<ItemResult> {
    if (!active && tx.actor.type === "user" && tx.actor.id === id)
      return { outcome: "skipped", reason: "cannot_disable_self" };
    // Who may is decided by UsersService (person-access.rules), as for the single routes.
    const { changed } = await this.users.setActiveIn(tx, id, active);
    if (changed) return { outcome: "done" };
    return { outcome: "skipped", reason: active ? "already_enabled" : "already_disabled" };
  }

  /**
   * Asks for an invitation (InvitationsService: a fresh one replacing any open one). Someone who has joined or is
   * deactivated is skipped with the code a single resend answers; other refusals (no contact...) fail with theirs.
   */
  private async invite(tx: TxCtx, id: string): Promise<ItemResult> {
    const user = await this.repo.lockById(tx.manager, id);
    if (!user || user.removedAt) return { outcome: "not_found" };
    assertMay(tx, "invite", user);
    try {
      await this.invitations.requestIn(tx, user);
    } catch (e) {
      if (e instanceof RefusedError && SKIPPED_INVITES.has(e.code)) return { outcome: "skipped", reason: e.code };
      throw e;
    }
    return { outcome: "done" };
  }
}
