import { type TestApp, startTestApp } from "../support/app";
import { report, runImport, upload } from "../support/imports";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "2" });
});
afterAll(async () => {
  await t.close();
});

let seq = 0;
const domain = () => `r${Date.now().toString(36)}${++seq}.test`;
const users = async (d: string) =>
  Number((await t.ds.query("SELECT count(*) FROM users WHERE emails->0->>'value' LIKE $1", [`%@${d}`]))[0].count);

describe("a file uploaded once, run several times (stage, start, rows)", () => {
  it("stages a file without applying it, dry-runs it with a mapping, then runs it for real from the dry run", async () => {
    const d = domain();
    const csv = `Adresse pro;Prénom;Nom;Notes\nana@${d};Ana;Lima;x\nbob@${d};Bob;Stone;y\nbad-email;Zed;Zulu;z\nana@${d};Ana2;Lima;w\n`;
    const staged = (await upload(t, csv, "p.csv", { stage: "true" })).body;
    expect(staged).toMatchObject({ status: "staged", counts: { total: 4 } });
    expect(await runImport(t, staged.id)).toMatchObject({ status: "staged" });
    const cols = await t.admin.get(`/imports/${staged.id}/columns`).expect(200);
    expect(cols.body).toEqual({
      columns: ["Adresse pro", "Prénom", "Nom", "Notes"],
      fields: [null, "givenName", "familyName", null],
    });

    const noEmail = await t.admin.post(`/imports/${staged.id}/start`).send({ dryRun: true }).expect(400);
    expect(noEmail.body.field).toBe("file");

    const mapping = { "Adresse pro": "email", Prénom: "givenName", Nom: "familyName", Notes: null };
    const dry = (await t.admin.post(`/imports/${staged.id}/start`).send({ dryRun: true, mapping }).expect(202)).body;
    expect(dry).toMatchObject({
      status: "queued",
      dryRun: true,
      mapping: { "Adresse pro": "email", Prénom: "givenName", Nom: "familyName" },
    });
    expect(dry.ignoredColumns).toEqual(["Notes"]);
    const ran = await runImport(t, dry.id);
    expect(ran).toMatchObject({ status: "succeeded", counts: { created: 2, failed: 1 } });
    expect(await users(d)).toBe(0);
    const rows = await t.admin.get(`/imports/${dry.id}/rows?limit=2`).expect(200);
    expect(rows.body.items.map((r: { result: string }) => r.result)).toEqual(["created", "created"]);
    expect(rows.body.next).toBe(2);
    const failed = await t.admin.get(`/imports/${dry.id}/rows?result=failed`).expect(200);
    expect(failed.body.items).toMatchObject([{ n: 3, line: 4, result: "failed" }]);
    expect(failed.body.items[0].reason).toMatch(/^email/);
    const dup = await t.admin.get(`/imports/${dry.id}/rows?result=duplicate`).expect(200);
    expect(dup.body.items[0].reason).toBe("the same email as line 2");

    const real = (await t.admin.post(`/imports/${dry.id}/start`).send({}).expect(202)).body;
    expect(real).toMatchObject({ dryRun: false, mapping: dry.mapping, ignoredColumns: ["Notes"] });
    expect(await runImport(t, real.id)).toMatchObject({ status: "succeeded", counts: { created: 2, failed: 1 } });
    expect(await users(d)).toBe(2);
    const lines = await report(t, real.id);
    expect(lines[0]).toEqual(["Adresse pro", "Prénom", "Nom", "Notes", "result", "reason"]);
    const audits = await t.ds.query(
      "SELECT action, door, changes FROM audit_events WHERE target_type = 'import' AND target_id = ANY($1) ORDER BY id",
      [[staged.id, dry.id, real.id]],
    );
    expect(audits.map((a: { action: string }) => a.action)).toEqual([
      "import.staged",
      "import.started",
      "import.started",
    ]);
    expect(audits[2].changes).toMatchObject({ from: dry.id, dryRun: false });
  });

  it("cancels a staged import at once, and refuses a bad start body", async () => {
    const d = domain();
    const staged = (await upload(t, `email\nx@${d}\n`, "p.csv", { stage: "true" })).body;
    await t.admin.post(`/imports/${staged.id}/start`).send({ dryRun: "yes" }).expect(400);
    await t.admin
      .post(`/imports/${staged.id}/start`)
      .send({ mapping: { email: "nope" } })
      .expect(400);
    expect((await t.admin.post(`/imports/${staged.id}/cancel`).expect(200)).body.status).toBe("cancelled");
  });
});
