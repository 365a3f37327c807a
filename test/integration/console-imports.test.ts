import type { Server } from "node:http";
import { entity } from "../support/admin-fixtures";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";

let t: TestApp;
let base: string;
let server: Server;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp({ IMPORT_BATCH_SIZE: "2" }));
});
afterAll(async () => {
  server.close();
  await t.close();
});

let seq = 0;
const domain = () => `c${Date.now().toString(36)}${++seq}.test`;
const workAll = async () => {
  while (await t.services.importBatches.step()) {}
};
const usersOf = async (d: string) =>
  t.ds.query("SELECT id, given_name, title, employee_number FROM users WHERE emails->0->>'value' LIKE $1 ORDER BY 2", [
    `%@${d}`,
  ]);
const importIdOf = (location: string | null) => /\/console\/imports\/([0-9a-f-]{36})/.exec(location ?? "")?.[1] ?? "";
const unescapeHtml = (html: string) =>
  html
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** The value of the option selected in the drop-down named `name` ("" when none is). */
function selectedOf(html: string, name: string): string {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? "";
  return /<option value="([^"]*)" selected/.exec(select)?.[1] ?? "";
}

/** A messy file as people make it: BOM, semicolons, CRLF, French labels, a quoted newline, a bad row, a duplicate. */
const messyCsv = (d: string) =>
  `\uFEFFCourriel;Prénom;Nom;Fonction;Code agent\r\n` +
  `ana@${d};Ana;Lima;"Cheffe\r\nde projet";A-1\r\n` +
  `bob@${d};Bob;Stone;Dev;B-2\r\n` +
  `not-an-email;Zed;Zulu;;Z-9\r\n` +
  `ANA@${d};Ana;Lima;;A-1\r\n`;

/** Posts the upload form as a browser does: the settings, then the file; the CSRF token in the action's query. */
async function uploadFile(browser: Browser, token: string, csv: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries({
    mode: "upsert",
    invite: "later",
    language: "",
    role: "member",
    entityId: "",
    ...fields,
  }))
    form.append(k, v);
  form.append("file", new Blob([csv], { type: "text/csv" }), "people.csv");
  return browser.request(`/console/imports?_csrf=${encodeURIComponent(token)}`, { method: "POST", body: form });
}

describe("the console's import: upload, mapping, dry run, run, report", () => {
  it("imports a messy CSV through the mapping and a dry run, then for real, with its report", async () => {
    const d = domain();
    const admin = await consolePerson(t.ds, "admin");
    const { browser, body: page } = await signInToConsole(base, "/console/imports", admin.userName);
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toContain('href="/console/imports/template.csv"');
    const template = await browser.get("/console/imports/template.csv");
    expect(template.headers.get("content-type")).toMatch(/text\/csv/);
    expect(await template.text()).toContain("Email,First name,Last name");
    expect((await browser.get("/console/imports/template.xlsx")).headers.get("content-type")).toMatch(/spreadsheetml/);

    const uploaded = await uploadFile(browser, csrfOf(page), messyCsv(d));
    expect(uploaded.status).toBe(303);
    const stagedId = importIdOf(uploaded.headers.get("location"));
    expect(uploaded.headers.get("location")).toBe(`/console/imports/${stagedId}/mapping`);
    const [staged] = await t.ds.query("SELECT status, total FROM imports WHERE id = $1", [stagedId]);
    expect(staged).toEqual({ status: "staged", total: 4 });

    const mapping = await (await browser.get(`/console/imports/${stagedId}/mapping`)).text();
    expect([0, 1, 2, 3, 4].map((i) => selectedOf(mapping, `col${i}`))).toEqual([
      "email",
      "givenName",
      "familyName",
      "title",
      "",
    ]);
    expect(mapping).toContain("Column 5: Code agent");
    expect(mapping).toContain("A-1"); // an example of the column's values

    // Two columns read as one field: refused beside the later one, nothing started.
    const token = csrfOf(mapping);
    const cols = { col0: "email", col1: "givenName", col2: "familyName", col3: "title" };
    const twice = await browser.post(`/console/imports/${stagedId}/start`, {
      _csrf: token,
      ...cols,
      col4: "title",
      run: "dry",
    });
    expect(twice.status).toBe(400);
    const twiceHtml = await twice.text();
    expect(twiceHtml).toMatch(/id="f-col4-error"[^>]*>[\s\S]*Another column is read as this field too/);
    expect(selectedOf(twiceHtml, "col4")).toBe("title");

    // One mapping changed (Code agent: ignored -> employee number), then the dry run.
    const dry = await browser.post(`/console/imports/${stagedId}/start`, {
      _csrf: token,
      ...cols,
      col4: "employeeNumber",
      run: "dry",
    });
    expect(dry.status).toBe(303);
    const dryId = importIdOf(dry.headers.get("location"));
    expect(dry.headers.get("location")).toBe(`/console/imports/${dryId}?done=started`);
    await workAll();
    expect(await usersOf(d)).toEqual([]);
    const preview = unescapeHtml(await (await browser.get(`/console/imports/${dryId}`)).text());
    expect(preview).toContain("What would happen to each row");
    expect(preview).toContain('<th scope="col">Code agent</th>');
    const outcomes = [
      ...preview.matchAll(
        /<tr><td>(\d+)<\/td>[\s\S]*?<span class="badge">([^<]+)<\/span><\/td><td>([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => [Number(m[1]), m[2], m[3]]);
    expect(outcomes).toEqual([
      [2, "created", ""],
      [4, "created", ""],
      [5, "failed", expect.stringMatching(/^email: /)],
      [6, "duplicate", "the same email as line 2"],
    ]);
    const failedOnly = await (await browser.get(`/console/imports/${dryId}?result=failed`)).text();
    expect(failedOnly).toContain("not-an-email");
    expect(failedOnly).not.toContain(`bob@${d}`);
    expect(preview).toContain("Run for real with this file and mapping");

    const real = await browser.post(`/console/imports/${dryId}/start`, { _csrf: csrfOf(preview), run: "real" });
    expect(real.status).toBe(303);
    const realId = importIdOf(real.headers.get("location"));
    const progress = await (await browser.get(`/console/imports/${realId}`)).text();
    expect(progress).toContain('hx-trigger="every 2s"');
    expect(progress).toContain('<noscript><meta http-equiv="refresh" content="2"/></noscript>');
    expect(progress).toContain('role="status"');
    await workAll();
    const people = await usersOf(d);
    expect(
      people.map((p: { given_name: string; title: string; employee_number: string }) => [
        p.given_name,
        p.title,
        p.employee_number,
      ]),
    ).toEqual([
      ["Ana", "Cheffe\r\nde projet", "A-1"],
      ["Bob", "Dev", "B-2"],
    ]);
    const fragment = await browser.request(`/console/imports/${realId}/progress`, {
      headers: { "hx-request": "true" },
    });
    expect(fragment.headers.get("hx-refresh")).toBe("true");
    const fragmentHtml = await fragment.text();
    expect(fragmentHtml).not.toContain("<html");
    expect(fragmentHtml).toContain("finished");
    const done = await (await browser.get(`/console/imports/${realId}`)).text();
    expect(done).not.toContain("hx-trigger");
    expect(done).not.toContain("http-equiv");
    expect(done).toContain("Code agent");

    // Who did what: the runs are started through the console; the people are written by the import's batches (door
    // `import`, request id import:<id>), as the admin who started the run.
    const starts = await t.ds.query(
      "SELECT action, door, actor_id FROM audit_events WHERE target_type = 'import' AND target_id = ANY($1) ORDER BY id",
      [[stagedId, dryId, realId]],
    );
    expect(starts).toEqual([
      { action: "import.staged", door: "console", actor_id: admin.id },
      { action: "import.started", door: "console", actor_id: admin.id },
      { action: "import.started", door: "console", actor_id: admin.id },
    ]);
    const created = await t.ds.query(
      "SELECT door, actor_id, request_id FROM audit_events WHERE target_type = 'user' AND target_id = $1 AND action = 'user.created'",
      [people[0].id],
    );
    expect(created).toEqual([{ door: "import", actor_id: admin.id, request_id: `import:${realId}` }]);

    const report = await browser.get(`/console/imports/${realId}/report.csv`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-disposition")).toBe(`attachment; filename="import-${realId}-report.csv"`);
    const lines = (await report.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("Courriel,Prénom,Nom,Fonction,Code agent,result,reason");
    expect(lines.slice(1, 3)).toEqual([`ana@${d},Ana,Lima,"Cheffe`, 'de projet",A-1,created,']);
    expect(lines.filter((l) => l.includes(",failed,"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(",duplicate,the same email as line 2"))).toHaveLength(1);

    const list = await (await browser.get("/console/imports")).text();
    expect(list).toContain(`/console/imports/${realId}`);
    expect(list.indexOf(realId)).toBeLessThan(list.indexOf(dryId));
  });

  it("cancels a queued import, and a staged one", async () => {
    const d = domain();
    const admin = await consolePerson(t.ds, "admin");
    const { browser, body } = await signInToConsole(base, "/console/imports", admin.userName);
    const staged = importIdOf(
      (await uploadFile(browser, csrfOf(body), `email\nx@${d}\ny@${d}\n`)).headers.get("location"),
    );
    const started = await browser.post(`/console/imports/${staged}/start`, {
      _csrf: csrfOf(body),
      col0: "email",
      run: "real",
    });
    const queued = importIdOf(started.headers.get("location"));
    const cancelled = await browser.post(`/console/imports/${queued}/cancel`, { _csrf: csrfOf(body) });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe(`/console/imports/${queued}?done=cancelled`);
    await workAll();
    expect((await t.ds.query("SELECT status FROM imports WHERE id = $1", [queued]))[0].status).toBe("cancelled");
    expect(await usersOf(d)).toEqual([]);
    expect(await (await browser.get(`/console/imports/${queued}?done=cancelled`)).text()).toContain(
      "The import is cancelled.",
    );
    await browser.post(`/console/imports/${staged}/cancel`, { _csrf: csrfOf(body) });
    expect((await t.ds.query("SELECT status FROM imports WHERE id = $1", [staged]))[0].status).toBe("cancelled");
  });

  it("shows an auditor the imports without the upload, and refuses their upload", async () => {
    const auditor = await consolePerson(t.ds, "auditor");
    const { browser, body } = await signInToConsole(base, "/console/imports", auditor.userName);
    expect(body).not.toContain("multipart/form-data");
    const [{ n: before }] = await t.ds.query("SELECT count(*)::int AS n FROM imports");
    const res = await uploadFile(browser, csrfOf(body), "email\nz@example.test\n");
    expect(res.status).toBe(403);
    const [{ n: after }] = await t.ds.query("SELECT count(*)::int AS n FROM imports");
    expect(after).toBe(before);
  });

  it("lets the admin go over the sync limit from the page of the sync it stopped, dry run first", async () => {
    const d = domain();
    const team = await entity(t, `Team ${d}`);
    const admin = await consolePerson(t.ds, "admin");
    const { browser, body } = await signInToConsole(base, "/console/imports", admin.userName);
    const runReal = async (csv: string, mode: string) => {
      const staged = importIdOf(
        (await uploadFile(browser, csrfOf(body), csv, { mode, entityId: team })).headers.get("location"),
      );
      const run = await browser.post(`/console/imports/${staged}/start`, { _csrf: csrfOf(body), run: "real" });
      await workAll();
      return importIdOf(run.headers.get("location"));
    };
    const everyone = ["a", "b", "c", "d", "e"].map((n) => `${n}@${d}`);
    await runReal(`email\n${everyone.join("\n")}\n`, "upsert");
    const active = async () =>
      (
        await t.ds.query("SELECT emails->0->>'value' AS email FROM users WHERE entity_id = $1 AND active ORDER BY 1", [
          team,
        ])
      ).map((r: { email: string }) => r.email);
    expect(await active()).toEqual(everyone);

    // The file names one of five: the sync would deactivate 80% (> 20%), so it stops and changes nothing.
    const stopped = await runReal(`email\na@${d}\n`, "sync");
    expect((await t.ds.query("SELECT status, error FROM imports WHERE id = $1", [stopped]))[0]).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^sync_limit: 4 of the entity's 5 active people/),
    });
    expect(await active()).toEqual(everyone);
    const page = await (await browser.get(`/console/imports/${stopped}`)).text();
    expect(page).toContain("Go over the deactivation limit");
    expect(page).toMatch(/<input type="hidden" name="confirm" value="yes"\/?>/);

    const dry = await browser.post(`/console/imports/${stopped}/start`, {
      _csrf: csrfOf(body),
      confirm: "yes",
      run: "dry",
    });
    expect(dry.status).toBe(303);
    await workAll();
    const dryId = importIdOf(dry.headers.get("location"));
    expect((await t.ds.query("SELECT status, dry_run, deactivated FROM imports WHERE id = $1", [dryId]))[0]).toEqual({
      status: "succeeded",
      dry_run: true,
      deactivated: 4,
    });
    expect(await active()).toEqual(everyone);

    // The dry run's "run for real" keeps its going over the limit.
    const real = await browser.post(`/console/imports/${dryId}/start`, { _csrf: csrfOf(body), run: "real" });
    await workAll();
    const realId = importIdOf(real.headers.get("location"));
    expect((await t.ds.query("SELECT status, deactivated FROM imports WHERE id = $1", [realId]))[0]).toEqual({
      status: "succeeded",
      deactivated: 4,
    });
    expect(await active()).toEqual([`a@${d}`]);
  });

  it("limits an entity-scoped admin's import as the API does", async () => {
    const d = domain();
    const mine = await entity(t, `Mine ${d}`);
    const other = await entity(t, `Other ${d}`);
    const scoped = await consolePerson(t.ds, "admin", { adminScope: [mine] });
    const { browser, body } = await signInToConsole(base, "/console/imports", scoped.userName);
    expect(body).toContain(`Mine ${d}`);
    expect(body).not.toContain(`Other ${d}`);

    const noEntity = await uploadFile(browser, csrfOf(body), `email\nq@${d}\n`);
    expect(noEntity.status).toBe(403);
    const html = unescapeHtml(await noEntity.text());
    expect(html).toMatch(/id="f-entityId-error"[^>]*>[\s\S]*set entityId/);
    const outside = await uploadFile(browser, csrfOf(body), `email\nq@${d}\n`, { entityId: other });
    expect(outside.status).toBe(403);
    expect(unescapeHtml(await outside.text())).toContain("entityId is outside your admin scope");

    const ok = await uploadFile(browser, csrfOf(body), `email;Nom;Prénom\nq@${d};Quinn;Quentin\n`, { entityId: mine });
    const staged = importIdOf(ok.headers.get("location"));
    const run = await browser.post(`/console/imports/${staged}/start`, { _csrf: csrfOf(body), run: "real" });
    expect(run.status).toBe(303);
    await workAll();
    const [person] = await t.ds.query("SELECT entity_id FROM users WHERE emails->0->>'value' = $1", [`q@${d}`]);
    expect(person.entity_id).toBe(mine);

    // Another admin's import (the whole organisation's) is not theirs to see.
    const [{ id: unscoped }] = await t.ds.query("SELECT id FROM imports WHERE entity_scope IS NULL LIMIT 1");
    expect((await browser.get(`/console/imports/${unscoped}`)).status).toBe(404);
  });
});
