import { AuditSealer } from "../../src/domain/audit-log/audit-sealer";
import { AuditSealLoop } from "../../src/worker/audit-seal.loop";
import { appendAudits, resetAuditLog } from "../support/audit";
import { openTestDataSource } from "../support/database";
import { eventually } from "../support/people";
import type { DataSource } from "typeorm";

let ds: DataSource;
beforeAll(async () => {
  ds = await openTestDataSource();
  await resetAuditLog(ds);
});
afterAll(async () => ds.destroy());

describe("the background sealer loop", () => {
  it("seals what writers commit, two loops sharing one chain, and stops cleanly", async () => {
    const sealer = new AuditSealer(ds);
    const loops = [new AuditSealLoop(sealer, 10).start(), new AuditSealLoop(sealer, 10).start()];
    try {
      await appendAudits(ds, 7000, { seal: false });
      await appendAudits(ds, 3, { seal: false });
      expect(await eventually(async () => (await sealer.pendingCount()) === 0, 10_000, "every record sealed")).toBe(
        true,
      );
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
    }
    const rows = await ds.query(
      "SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT seq)::int AS n FROM audit_seals",
    );
    expect(rows).toEqual([{ lo: 1, hi: 7003, n: 7003 }]);
    // Stopped: nothing is sealed any more.
    await appendAudits(ds, 1, { seal: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(await sealer.pendingCount()).toBe(1);
  });
});
