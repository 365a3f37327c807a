import type { JobHandlers } from "../domain/jobs/job";
import type { UserActionsService } from "../domain/jobs/users-actions.service";

/** Which use case runs each kind of admin job, per user. */
export function jobHandlers(actions: UserActionsService): JobHandlers {
  return {
    "users.action": actions.applyAsJob,
  };
}
