import { type Command, InvalidArgumentError } from "commander";
import type { ChainHead } from "../domain/audit-log/audit-chain.service";
import { withDatabase } from "./with-database";

/** Exit status of `roster audit verify` when the chain is broken (1 is any other failure: config, database). */
export const CHAIN_BROKEN_EXIT = 2;

function anchorOf(value: string): ChainHead {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value);
  if (!m) throw new InvalidArgumentError("expected <seq>:<sha256 hex>, as printed by an earlier verify");
  return { seq: Number(m[1]), hash: m[2].toLowerCase() };
}

/** `roster audit verify`: checks the whole hash chain, names the first broken record, prints the head for anchoring. */
export function auditCommands(program: Command): void {
  const audit = program.command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description(
      "seal the records committed but not yet chained, then check the audit hash chain from the first record to the head; exit 0 when intact, 2 at the first broken record",
    )
    .option("--no-seal", "check the chain as it is, without sealing pending records first (e.g. as a read-only role)")
    .option("--anchor <seq:hash>", "a head printed earlier: fail unless that record still carries that hash", anchorOf)
    .option(
      "--batch <n>",
      "records read per query",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 100_000)
          throw new InvalidArgumentError("a whole number from 1 to 100000");
        return n;
      },
      5000,
    )
    .action((o: { anchor?: ChainHead; batch: number; seal: boolean }) =>
      withDatabase(async ({ auditChain }) => {
        const started = Date.now();
        const report = await auditChain.verify({ batchSize: o.batch, anchor: o.anchor, seal: o.seal });
        const pending = `${report.sealed} sealed before the check, ${report.pending} pending (committed since, or not sealed)`;
        const took = ((Date.now() - started) / 1000).toFixed(1);
        if (report.broken) {
          const b = report.broken;
          const where = b.seq === null ? `id ${b.id}` : `seq ${b.seq}${b.id ? ` (id ${b.id})` : ""}`;
          process.stderr.write(`audit chain BROKEN at ${where}: ${b.problem}\n`);
          process.stderr.write(
            `${report.records} records before it are intact; head seq ${report.head.seq} hash ${report.head.hash}\n`,
          );
          process.stderr.write(`records: ${pending}\n`);
          process.exitCode = CHAIN_BROKEN_EXIT;
          return;
        }
        process.stdout.write(`audit chain intact: ${report.records} records checked in ${took} s\n`);
        process.stdout.write(`head ${report.head.seq}:${report.head.hash}\n`);
        process.stdout.write(`records: ${pending}\n`);
      }),
    );
}
