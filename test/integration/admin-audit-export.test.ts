import type { AuditRecord } from "../../src/domain/audit-log/audit-log";
import { startTestApp, type TestApp } from "../support/app";
import { appendAudits, resetAuditLog } from "../support/audit";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await resetAuditLog(t.ds);
  // 2,600 records: the export reads 1,000 per query, so this spans three batches and a partial one.
  await appendAudits(t.ds, 2600, { action: "test.bulk", door: "system" });
  await appendAudits(t.ds, 1, {
    door: "admin",
    action: "user.updated",
    actorName: '=HYPERLINK("http://evil.example","click")',
    changes: { title: { before: 'say "hi", then\nleave', after: "-1+2" } },
  });
});
afterAll(async () => t.close());

const ndjson = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as AuditRecord);

describe("GET /admin/v1/audit/export", () => {
  it("streams every record as NDJSON, oldest first, as an attachment", async () => {
    const res = await t.admin.get("/audit/export?format=ndjson").expect(200);
    expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="audit-[\w-]+\.ndjson"$/);
    const lines = ndjson(res.text);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 2601 }, (_, i) => i + 1));
    for (let i = 1; i < lines.length; i++) expect(lines[i].prevHash).toBe(lines[i - 1].hash);
  });

  it("applies the list's filters and order", async () => {
    const res = await t.admin.get("/audit/export?format=ndjson&door=admin&order=desc").expect(200);
    expect(ndjson(res.text).map((l) => l.action)).toEqual(["user.updated"]);
    const desc = ndjson((await t.admin.get("/audit/export?format=ndjson&order=desc&action=test.*").expect(200)).text);
    expect(desc).toHaveLength(2600);
    expect(desc[0].seq).toBe(2600);
    expect(desc[2599].seq).toBe(1);
  });

  it("writes CSV with a header, RFC 4180 quoting, and formulas neutralised", async () => {
    const res = await t.admin.get("/audit/export?format=csv&door=admin").expect(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="audit-[\w-]+\.csv"$/);
    const [header, row, rest] = res.text.split("\r\n");
    expect(header).toBe(
      "seq,id,at,actor_type,actor_id,actor_name,door,action,target_type,target_id,changes,request_id,prev_hash,hash",
    );
    expect(row).toMatch(
      /^2601,2601,\d{4}-[^,]+Z,system,,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",admin,user\.updated,user,,/,
    );
    // The JSON of the changes (with its newline escaped by JSON) is one quoted field.
    expect(res.text).toContain(
      `,"{""n"":1,""title"":{""after"":""-1+2"",""before"":""say \\""hi\\"", then\\nleave""}}",req-1,`,
    );
    expect(rest).toBe("");
  });

  it("refuses a missing or unknown format, naming it", async () => {
    expect((await t.admin.get("/audit/export").expect(400)).body).toMatchObject({
      code: "invalid_request",
      field: "format",
    });
    expect((await t.admin.get("/audit/export?format=xml").expect(400)).body).toMatchObject({ field: "format" });
    expect((await t.admin.get("/audit/export?format=csv&cursor=abc").expect(400)).body).toMatchObject({
      field: "cursor",
    });
  });

  it("stops at the head as it was when the export began, however much is appended meanwhile", async () => {
    const ctx = { actor: { type: "system" as const, id: null, name: "test" }, door: "admin" as const, requestId: null };
    const batches = t.services.audit.export(ctx, {}, "asc", 1000);
    const first = await batches.next();
    expect(first.value).toHaveLength(1000);
    await appendAudits(t.ds, 1500);
    let last = 0;
    for await (const batch of batches) last = batch[batch.length - 1].seq;
    expect(last).toBe(2601);
  });

  it("includes records committed just before it began, sealing them first", async () => {
    await appendAudits(t.ds, 3, { seal: false, action: "test.unsealed" });
    const lines = ndjson((await t.admin.get("/audit/export?format=ndjson&action=test.unsealed").expect(200)).text);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => Number.isInteger(l.seq) && /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);
  });
});
