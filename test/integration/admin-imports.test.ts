import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import request from "supertest";
import { entity, person } from "../support/admin-fixtures";
import { type TestApp, startTestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { report, runImport, upload } from "../support/imports";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "3" });
});
afterAll(async () => {
  await t.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].count);
const userByEmail = async (email: string) =>
  (await t.ds.query("SELECT * FROM users WHERE lower(emails->0->>'value') = lower($1)", [email]))[0];
let seq = 0;
const domain = () => `i${Date.now().toString(36)}${++seq}.test`;

describe("POST /admin/v1/imports: files as people make them", () => {
  it("reads a UTF-8 file with BOM, semicolons, CRLF, quoted newlines, blank lines and trailing empty columns", async () => {
    const d = domain();
    const csv =
      `\uFEFFE-mail;Prénom;Nom;Fonction;;\r\n\r\n` +
      `zoe.dupont@${d};Zoé;Dupont;"Cheffe\r\nde projet";;\r\n` +
      `;;;;;\r\n` +
      `eric@${d};Éric;Noël;;;\r\n`;
    const res = await upload(t, csv, "people.csv");
    expect(res.headers.location).toBe(`/admin/v1/imports/${res.body.id}`);
    expect(res.body).toMatchObject({ status: "queued", mode: "upsert", dryRun: false });
    expect(res.body.mapping).toEqual({ "E-mail": "email", Prénom: "givenName", Nom: "familyName", Fonction: "title" });
    const done = await runImport(t, res.body.id);
    expect(done).toMatchObject({ status: "succeeded", counts: { total: 2, created: 2, failed: 0 } });
    expect(done.progress).toEqual({ done: 2, total: 2, percent: 100 });
    const zoe = await userByEmail(`zoe.dupont@${d}`);
    expect([zoe.given_name, zoe.family_name, zoe.title, zoe.source]).toEqual([
      "Zoé",
      "Dupont",
      "Cheffe\r\nde projet",
      "csv",
    ]);
    expect(zoe.user_name).toBe("zoe.dupont");
    const rows = await report(t, res.body.id);
    expect(rows[0]).toEqual(["E-mail", "Prénom", "Nom", "Fonction", "result", "reason"]);
    expect(rows.slice(1).map((r) => r[4])).toEqual(["created", "created"]);
  });

  it("reads Windows-1252 from old Excel (detected, or given as charset) with commas and English labels", async () => {
    const d = domain();
    const bytes = iconv.encode(`Email,First name,Last name\nhelene.mecier@${d},Hélène,Mécier\n`, "windows-1252");
    const res = await upload(t, bytes, "old-excel.csv");
    await runImport(t, res.body.id);
    expect((await userByEmail(`helene.mecier@${d}`)).family_name).toBe("Mécier");
    const tab = iconv.encode(`courriel\tprénom\tnom\nfrancois.leger@${d}\tFrançois\tLéger\n`, "windows-1252");
    const res2 = await upload(t, tab, "tab.txt", { charset: "windows-1252" });
    await runImport(t, res2.body.id);
    expect((await userByEmail(`francois.leger@${d}`)).given_name).toBe("François");
  });

  it("reads an .xlsx made with exceljs, and answers the templates with every field", async () => {
    const d = domain();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("People");
    sheet.addRow(["Courriel", "Prénom", "Nom", "Matricule", "Téléphone"]);
    sheet.addRow([`ana.lima@${d}`, "Ana", "Lima", 1815, "+33 1 23 45 67 89"]);
    const res = await upload(t, Buffer.from(await wb.xlsx.writeBuffer()), "people.xlsx");
    expect(res.body.format).toBe("xlsx");
    expect((await runImport(t, res.body.id)).counts.created).toBe(1);
    const ana = await userByEmail(`ana.lima@${d}`);
    expect(ana.employee_number).toBe("1815");
    const csv = await t.admin.get("/imports/template.csv").expect(200);
    expect(csv.text).toContain("Email,First name,Last name,Username,Language,Phone,Job title,Department");
    const xlsx = await request(t.app)
      .get("/admin/v1/imports/template.xlsx")
      .set("Authorization", `Bearer ${await t.token("admin")}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(xlsx.body);
    expect((read.worksheets[0].getRow(1).values as string[]).slice(1)).toContain("One-time password");
  });

  it("reports duplicates and two rows claiming one email; unknown columns ignored and listed; bad rows never block good ones", async () => {
    const d = domain();
    const csv = [
      "Email,First name,Last name,Shoe size",
      `ada.byron@${d},Ada,Byron,38`,
      `ADA.BYRON@${d},Ada,Byron,38`,
      `not-an-email,Bob,Smith,40`,
      `al.short@${d},Al,Short,41`,
      `grace.hopper@${d},Grace,Hopper,37`,
    ].join("\n");
    const res = await upload(t, csv, "dups.csv");
    expect(res.body.ignoredColumns).toEqual(["Shoe size"]);
    const done = await runImport(t, res.body.id);
    expect(done.counts).toEqual({ total: 5, created: 2, updated: 0, unchanged: 0, skipped: 1, failed: 2 });
    const rows = await report(t, res.body.id);
    expect(rows.slice(1).map((r) => [r[4], r[5]])).toEqual([
      ["created", ""],
      ["duplicate", "the same email as line 2"],
      ["failed", expect.stringContaining("email")],
      ["failed", expect.stringContaining("givenName")],
      ["created", ""],
    ]);
    expect(await count("SELECT count(*) FROM users WHERE lower(emails->0->>'value') = $1", [`ada.byron@${d}`])).toBe(1);
  });

  it("refuses a file without an email column, a bad mapping and a sync without entity (400, nothing imported)", async () => {
    expect((await upload(t, "First name,Last name\nA,B\n", "x.csv", {}, 400)).body.field).toBe("file");
    expect((await upload(t, "Email\na@b.test\n", "x.csv", { mapping: '{"Nope":"email"}' }, 400)).body.field).toBe(
      "mapping",
    );
    expect((await upload(t, "Email\na@b.test\n", "x.csv", { mode: "sync" }, 400)).body.field).toBe("entityId");
    expect((await upload(t, "Email\na@b.test\n", "x.csv", { mode: "merge" }, 400)).body.code).toBe("invalid_request");
  });
});

describe("modes, dry run, mapping, audit and invitations", () => {
  it("upsert updates by email, then by userName; a row whose email and userName name two people fails alone", async () => {
    const d = domain();
    const a = await person(t, { email: `anne.first@${d}`, givenName: "Anne", familyName: "First" });
    const b = await person(t, { email: `bert.second@${d}`, givenName: "Bert", familyName: "Second" });
    const csv = [
      "Login,Courriel,Prénom,Nom,Poste",
      `,anne.first@${d},Anne,First,Engineer`,
      `${b.userName},bert.new@${d},Bert,Second,`,
      `${b.userName},anne.first@${d},Anne,First,`,
      `,anne.first@${d},Anne,First,Engineer`,
    ].join("\n");
    const res = await upload(t, csv, "upsert.csv", { mapping: JSON.stringify({ Poste: "title" }) });
    const rows = await report(t, (await runImport(t, res.body.id)).id);
    expect(rows.slice(1).map((r) => r[5])).toEqual(["updated", "updated", "duplicate", "duplicate"]);
    expect((await userByEmail(`anne.first@${d}`)).title).toBe("Engineer");
    expect((await t.admin.get(`/users/${b.id}`).expect(200)).body.email).toBe(`bert.new@${d}`);
    // Two different people named by one row, in a file of its own.
    const clash = await upload(t, `Username,Email\n${b.userName},anne.first@${d}\n`, "clash.csv");
    const clashRows = await report(t, (await runImport(t, clash.body.id)).id);
    expect(clashRows[1].slice(2)).toEqual(["failed", expect.stringContaining("another")]);
    expect((await t.admin.get(`/users/${a.id}`).expect(200)).body.userName).toBe(a.userName);
    // Audited with the door import and the import's id as request id.
    expect(
      await count("SELECT count(*) FROM audit_events WHERE door = 'import' AND request_id = $1 AND target_id = $2", [
        `import:${res.body.id}`,
        a.id,
      ]),
    ).toBe(1);
  });

  it("a second identical upload leaves everyone unchanged; create-only skips existing people", async () => {
    const d = domain();
    const csv = `Email,First name,Last name\nkurt.godel@${d},Kurt,Gödel\nemmy.noether@${d},Emmy,Noether\n`;
    await runImport(t, (await upload(t, csv, "a.csv")).body.id);
    const again = await runImport(t, (await upload(t, csv, "a.csv")).body.id);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const only = await runImport(
      t,
      (await upload(t, `${csv}john.nash@${d},John,Nash\n`, "b.csv", { mode: "create-only" })).body.id,
    );
    expect(only.counts).toMatchObject({ created: 1, skipped: 2, updated: 0 });
  });

  it("dryRun reports what would happen and changes nothing: no person, no audit, no invitation", async () => {
    const d = domain();
    const outbox = await count("SELECT count(*) FROM outbox WHERE topic = 'invitation.requested'");
    const res = await upload(t, `Email,First name,Last name\nrosa.parks@${d},Rosa,Parks\nbad,Bad,Row\n`, "dry.csv", {
      dryRun: "true",
      invite: "now",
    });
    const done = await runImport(t, res.body.id);
    expect(done).toMatchObject({ dryRun: true, status: "succeeded", counts: { created: 1, failed: 1 } });
    expect(await userByEmail(`rosa.parks@${d}`)).toBeUndefined();
    expect(await count("SELECT count(*) FROM audit_events WHERE request_id = $1", [`import:${res.body.id}`])).toBe(0);
    expect(await count("SELECT count(*) FROM outbox WHERE topic = 'invitation.requested'")).toBe(outbox);
  });

  it("invite=now asks for each new person's invitation through the outbox; later does not", async () => {
    const d = domain();
    const now = await runImport(t, (await upload(t, `Email\nmarie.curie@${d}\n`, "n.csv", { invite: "now" })).body.id);
    const marie = await userByEmail(`marie.curie@${d}`);
    expect(now.counts.created).toBe(1);
    // An import reads names from its columns only: none given, they are asked for when the person joins.
    expect([marie.user_name, marie.given_name]).toEqual([`marie.curie@${d}`, null]);
    const asked = "SELECT count(*) FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1";
    expect(await count(asked, [marie.id])).toBe(1);
    await runImport(t, (await upload(t, `Email\njdoe@${d}\n`, "l.csv", { invite: "later" })).body.id);
    const jdoe = await userByEmail(`jdoe@${d}`);
    expect([jdoe.user_name, jdoe.given_name]).toEqual([`jdoe@${d}`, null]);
    expect(await count(asked, [jdoe.id])).toBe(0);
  });

  it("sync deactivates the entity's people absent from the file, and stops above SYNC_MAX_DEACTIVATE_PERCENT unless confirmed", async () => {
    const d = domain();
    const site = await entity(t, `Sync-${d}`);
    const people = [];
    for (const n of ["one", "two", "three", "four", "five"])
      people.push(
        await person(t, {
          email: `${n}.person@${d}`,
          givenName: "Some",
          familyName: `Person${n}`.replace(/\d/g, ""),
          entityId: site,
        }),
      );
    const file = (names: string[]) => `Email\n${names.map((n) => `${n}.person@${d}`).join("\n")}\n`;
    // Two of five absent: 40% > 20%: nothing changes.
    const stopped = await runImport(
      t,
      (await upload(t, file(["one", "two", "three"]), "s.csv", { mode: "sync", entityId: site })).body.id,
    );
    expect(stopped.status).toBe("failed");
    expect(stopped.error).toContain("sync_limit");
    expect(await count("SELECT count(*) FROM users WHERE entity_id = $1 AND active", [site])).toBe(5);
    const dry = await runImport(
      t,
      (
        await upload(t, file(["one", "two", "three"]), "s.csv", {
          mode: "sync",
          entityId: site,
          confirm: "true",
          dryRun: "true",
        })
      ).body.id,
    );
    expect(dry.deactivated).toBe(2);
    expect(await count("SELECT count(*) FROM users WHERE entity_id = $1 AND active", [site])).toBe(5);
    const done = await runImport(
      t,
      (await upload(t, file(["one", "two", "three"]), "s.csv", { mode: "sync", entityId: site, confirm: "true" })).body
        .id,
    );
    expect(done).toMatchObject({ status: "succeeded", deactivated: 2 });
    expect(await count("SELECT count(*) FROM users WHERE entity_id = $1 AND active", [site])).toBe(3);
    expect(
      await count("SELECT count(*) FROM outbox WHERE topic = 'user.deactivated' AND payload->>'door' = 'import'"),
    ).toBeGreaterThanOrEqual(2);
  });

  it("cancel stops between batches: the rows after are reported not done; list is newest first", async () => {
    const d = domain();
    const csv = `Email\n${Array.from({ length: 9 }, (_, i) => `p${i}@${d}`).join("\n")}\n`;
    const res = await upload(t, csv, "c.csv");
    expect(await t.services.importBatches.step()).toBe(true);
    await t.admin.post(`/imports/${res.body.id}/cancel`).expect(200);
    const done = await runImport(t, res.body.id);
    expect(done).toMatchObject({ status: "cancelled", counts: { created: 3 } });
    const rows = await report(t, res.body.id);
    expect(rows.slice(1).map((r) => r[1])).toEqual([...Array(3).fill("created"), ...Array(6).fill("not done")]);
    const list = (await t.admin.get("/imports?limit=2").expect(200)).body;
    expect(list.items[0].id).toBe(res.body.id);
    expect(list.next).toEqual(expect.any(String));
    await t.admin.get("/imports/00000000-0000-4000-8000-000000000000").expect(404);
  });
});

describe("what the IdP owns, and one-time passwords", () => {
  it("a row changing an IdP-owned field of a SCIM-managed person fails by name and writes nothing of it", async () => {
    const scim = (await t.scim.post("/Users", buildScimUser({ title: "Engineer" })).expect(201)).body;
    const email = scim.emails[0].value as string;
    const res = await upload(t, `Email,Job title,Langue\n${email},Manager,fr\n${email},Engineer,fr\n`, "idp.csv");
    const rows = await report(t, (await runImport(t, res.body.id)).id);
    expect(rows[1].slice(3)).toEqual(["failed", expect.stringContaining("idp_owned_field: title")]);
    expect(rows[2].slice(3)).toEqual(["duplicate", expect.any(String)]);
    const after = (await t.scim.get(`/Users/${scim.id}`).expect(200)).body;
    expect([after.title, after.preferredLanguage ?? null]).toEqual(["Engineer", null]);
    const same = await upload(t, `Email,Job title,Langue\n${email},Engineer,fr\n`, "idp2.csv");
    const sameRows = await report(t, (await runImport(t, same.body.id)).id);
    expect(sameRows[1][3]).toBe("updated");
    expect((await t.scim.get(`/Users/${scim.id}`).expect(200)).body.preferredLanguage).toBe("fr");
  });

  it("a one-time password given in the file is set on the new person, to be changed at first sign-in", async () => {
    const d = domain();
    const res = await upload(
      t,
      `Email,First name,Last name,Mot de passe\nnils.bohr@${d},Nils,Bohr,violet-harbour-tangent-42\n`,
      "p.csv",
    );
    expect((await runImport(t, res.body.id)).counts.created).toBe(1);
    const nils = await userByEmail(`nils.bohr@${d}`);
    expect([nils.password_hash !== null, nils.password_must_change]).toEqual([true, true]);
  });
});
