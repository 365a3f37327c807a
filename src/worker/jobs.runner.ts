import type { JobHandlers } from "../domain/jobs/job";
import type { JobsService } from "../domain/jobs/jobs.service";
import { StepLoops, type StepLoopsOptions } from "./step-loops";

export type JobsRunnerOptions = StepLoopsOptions;

/**
 * Runs admin jobs in this process: each loop takes one item at a time (JobsService.step), so several loops and several
 * replicas share a job safely, and a restart simply carries on with the items left.
 */
export class JobsRunner extends StepLoops {
  constructor(jobs: JobsService, handlers: JobHandlers, opts: JobsRunnerOptions) {
    super(() => jobs.step(handlers), opts, "admin job runner: step failed, backing off");
  }
}
