import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/env";
import { DomainError } from "../domain/errors";
import { adminCommands } from "./admin.commands";
import { auditCommands } from "./audit.commands";
import { oidcCommands } from "./oidc.commands";
import { importCommands } from "./import.commands";
import { IMPORT_OLD_SPACE_MB, runCapped } from "./heap-cap";
import { tokenCommands } from "./token.commands";
import { withDatabase } from "./with-database";

/** `roster` command line: works beside a running server (it shares the embedded database) and without one. */
const program = new Command()
  .name("roster")
  .description("Roster SCIM 2.0 provisioning service: operator commands")
  .exitOverride();

tokenCommands(program);
auditCommands(program);
oidcCommands(program);
importCommands(program);
adminCommands(program);

program
  .command("migrate")
  .description("apply pending database migrations")
  .action(() => withDatabase(async () => void process.stderr.write("migrations are up to date\n")));

// `roster import` runs in a child with a capped old space unless the operator chose one (decision 0142).
if (!(process.argv[2] === "import" && runCapped(IMPORT_OLD_SPACE_MB)))
  program.parseAsync(process.argv).catch((e: unknown) => {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    const message =
      e instanceof ConfigError || e instanceof DomainError
        ? e.message
        : `failed: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`roster: ${message}\n`);
    process.exit(1);
  });
