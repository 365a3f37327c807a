import type { ImportBatches } from "../domain/imports/import-batches";
import { StepLoops, type StepLoopsOptions } from "./step-loops";

/**
 * Works imports in this process: each loop applies one batch at a time (ImportBatches.step), so loops and replicas
 * share an import, and a process started after a crash carries on from the last committed batch.
 */
export class ImportsRunner extends StepLoops {
  constructor(batches: Pick<ImportBatches, "step">, opts: StepLoopsOptions) {
    super(() => batches.step(), opts, "imports: a batch failed, backing off (it is claimed again)");
  }
}
