import type { Server } from "node:http";
import type { TableRow } from "../../src/domain/imports/import";
import type { TestApp } from "../support/app";
import { consolePerson, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";

// Defects found walking every console page in French (issue 17's last gaps), each held here over real HTTP.
let t: TestApp;
let server: Server;
let admin: Browser;

beforeAll(async () => {
  let base: string;
  ({ t, base, server } = await startProviderApp());
  const me = await consolePerson(t.ds, "admin");
  ({ browser: admin } = await signInToConsole(base, "/console", me.userName));
  const chosen = await admin.get("/console/language?to=fr&back=/console");
  expect(chosen.status).toBe(303);
});
afterAll(async () => {
  server.close();
  await t.close();
});

const page = async (path: string) => {
  const res = await admin.get(path);
  expect(res.status).toBe(200);
  return res.text();
};
/** The labels of the options of the drop-down named `name`. */
const optionsOf = (html: string, name: string) =>
  [
    ...(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? "").matchAll(
      /<option[^>]*>([^<]*)<\/option>/g,
    ),
  ].map((m) => m[1]);

async function* rows(table: string[][]): AsyncIterable<TableRow> {
  for (const [i, cells] of table.entries()) yield { cells, line: i + 1 };
}

describe("the console in French", () => {
  it("the import form names the roles in French, as the person forms do", async () => {
    const html = await page("/console/imports");
    expect(html).toContain('<html lang="fr"');
    expect(optionsOf(html, "role")).toEqual(["membre", "administrateur", "auditeur (lecture seule)"]);
    expect(optionsOf(await page("/console/people/new"), "role")).toEqual(optionsOf(html, "role"));
  });

  it("the import pages put French's space before a colon (a non-breaking one, so it never starts a line)", async () => {
    expect(await page("/console/imports")).toContain("Modèles\u00a0: <a");
    const ctx = { actor: { type: "system" as const, id: null, name: "test" }, door: "cli" as const, requestId: null };
    const staged = await t.services.importReruns.stage(
      ctx,
      {
        mode: "upsert",
        dryRun: true,
        mapping: {},
        invite: "later",
        language: null,
        role: "member",
        entityId: null,
        groupIds: [],
        confirm: false,
      },
      {
        name: "rh.csv",
        format: "csv",
        rows: rows([
          ["Courriel", "Prénom"],
          ["lea@walk.test", "Léa"],
        ]),
      },
    );
    const mapping = await page(`/console/imports/${staged.id}/mapping`);
    expect(mapping).toContain("Fichier\u00a0: <strong>rh.csv</strong>");
    expect(mapping).toMatch(/<label for="[^"]+">Colonne 1\u00a0: Courriel<\/label>/);
  });
});
