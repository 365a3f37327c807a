import type { DataSource } from "typeorm";
import { appendAudits, resetAuditLog, tamper } from "../support/audit";
import { openTestDataSource, workerDatabaseUrl } from "../support/database";
import { runCli } from "../support/process";

let ds: DataSource;
let env: Record<string, string>;
beforeAll(async () => {
  ds = await openTestDataSource();
  env = { DATABASE_URL: await workerDatabaseUrl() };
  await resetAuditLog(ds);
  await appendAudits(ds, 10);
  await appendAudits(ds, 2, { seal: false });
});
afterAll(async () => ds.destroy());

describe("npx roster audit verify", () => {
  let head = "";

  it("exits 0 on an intact chain and prints the head to anchor later checks", async () => {
    const unsealed = runCli(["audit", "verify", "--no-seal"], env);
    expect(unsealed.status).toBe(0);
    expect(unsealed.stdout).toMatch(
      /^audit chain intact: 10 records checked in [\d.]+ s\nhead 10:[0-9a-f]{64}\nrecords: 0 sealed before the check, 2 pending/,
    );
    const r = runCli(["audit", "verify", "--batch", "5"], env);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^audit chain intact: 12 records checked in [\d.]+ s\nhead 12:[0-9a-f]{64}\nrecords: 2 sealed before the check, 0 pending \(committed since, or not sealed\)\n$/,
    );
    head = /head (\S+)/.exec(r.stdout)![1];
    expect(runCli(["audit", "verify", "--anchor", head], env).status).toBe(0);
  });

  it("exits 2 and names the first broken record (seq and id) and what is wrong", async () => {
    const [{ id }] = await ds.query("SELECT id FROM audit_seals WHERE seq = 7");
    await tamper(ds, "UPDATE audit_events SET action = 'user.nothing_to_see' WHERE id = $1", [id]);
    const r = runCli(["audit", "verify"], env);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `audit chain BROKEN at seq 7 (id ${id}): its content does not match its hash (changed after it was written)\n`,
    );
    expect(r.stderr).toContain("6 records before it are intact");
  });

  it("refuses a malformed anchor as a usage error", () => {
    const r = runCli(["audit", "verify", "--anchor", "12:nothex"], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--anchor.*expected <seq>:<sha256 hex>/);
  });
});
