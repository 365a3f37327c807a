import { ImportBatches } from "../domain/imports/import-batches";
import { ImportRerunsService } from "../domain/imports/import-reruns.service";
import { RowApplier } from "../domain/imports/import-row.apply";
import { ImportsService } from "../domain/imports/imports.service";
import type { CredentialsService } from "../domain/auth/credentials.service";
import type { PeopleService } from "../domain/people/people.service";
import { Signal } from "../domain/signal";
import type { UsersService } from "../domain/users/users.service";
import type { Foundation } from "./foundation";

/**
 * Imports: files received by the door or the CLI, applied in batches by the worker's import loops (woken by
 * importsQueued). All of the imports wiring is here.
 */
export interface ImportsServices {
  imports: ImportsService;
  importBatches: ImportBatches;
  /** staged files and runs started from an earlier import's rows (the console's mapping and dry run, decision 0147) */
  importReruns: ImportRerunsService;
  importsQueued: Signal;
}

export function buildImports(
  { ds, cfg }: Foundation,
  given: { users: UsersService; people: PeopleService; credentials: CredentialsService },
): ImportsServices {
  const importsQueued = new Signal();
  const imports = new ImportsService(ds, given.people, importsQueued);
  return {
    imports,
    importBatches: new ImportBatches(
      ds,
      imports.repo,
      new RowApplier(given.users, given.people, given.credentials),
      given.users,
      { batchSize: cfg.IMPORT_BATCH_SIZE, syncMaxDeactivatePercent: cfg.SYNC_MAX_DEACTIVATE_PERCENT },
    ),
    importReruns: new ImportRerunsService(ds, imports, importsQueued),
    importsQueued,
  };
}
