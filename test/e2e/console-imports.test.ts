import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { type BrowserServer, startBrowserServer, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer({ IMPORT_BATCH_SIZE: "2" });
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

/** What the worker's import loops do, here in the test's process. */
const workAll = async () => {
  while (await roster.t.services.importBatches.step()) {}
};

describe("importing a file in the console, in chromium", () => {
  browserIt(
    "imports a messy CSV through the mapping and the dry run, runs it, and downloads the report",
    async ({ page }) => {
      const d = `e2e${Date.now().toString(36)}.test`;
      const file = path.join(os.tmpdir(), `roster-import-${d}.csv`);
      writeFileSync(
        file,
        `\uFEFFCourriel;Prénom;Nom;Fonction;Code agent\r\n` +
          `ana@${d};Ana;Lima;"Cheffe\r\nde projet";A-1\r\n` +
          `bob@${d};Bob;Stone;Dev;B-2\r\n` +
          `not-an-email;Zed;Zulu;;Z-9\r\n` +
          `ANA@${d};Ana;Lima;;A-1\r\n`,
      );
      const admin = await consolePerson(roster.t.ds, "admin");

      await signInToConsole(page, roster.base, "/console/imports", admin.userName, PASSWORD);

      await page.getByLabel("CSV or Excel file").setInputFiles(file);
      await page.getByRole("button", { name: "Upload and choose the columns" }).click();
      await page.waitForURL(/\/mapping$/);
      // pre-filled from the French labels; the unknown column is left out until the admin says what it is
      await expect(page.getByLabel("Column 1: Courriel").inputValue()).resolves.toBe("email");
      await expect(page.getByLabel("Column 2: Prénom").inputValue()).resolves.toBe("givenName");
      await expect(page.getByLabel("Column 5: Code agent").inputValue()).resolves.toBe("");
      await page.getByLabel("Column 5: Code agent").selectOption({ label: "Employee number" });
      await page.getByRole("button", { name: "Dry run (changes nothing)" }).click();
      await page.waitForURL(/\/console\/imports\/[0-9a-f-]{36}\?done=started$/);

      // the page follows the dry run by itself (htmx), then shows each row's outcome
      await workAll();
      // over: htmx asks for the whole page again, which now offers the run for real
      await page.getByRole("button", { name: "Run for real with this file and mapping" }).waitFor({ timeout: 15_000 });
      await expect(page.getByRole("heading", { name: "What would happen to each row" }).count()).resolves.toBe(1);
      await expect(page.getByRole("row").filter({ hasText: "not-an-email" }).textContent()).resolves.toContain(
        "failed",
      );
      await expect(page.getByRole("row").filter({ hasText: "the same email as line 2" }).count()).resolves.toBe(1);
      const none = await roster.t.ds.query("SELECT 1 FROM users WHERE emails->0->>'value' LIKE $1", [`%@${d}`]);
      expect(none).toHaveLength(0);

      await page.getByRole("button", { name: "Run for real with this file and mapping" }).click();
      await page.waitForURL(/\?done=started$/);
      await workAll();
      await page.getByRole("status").filter({ hasText: "finished" }).waitFor({ timeout: 15_000 });
      await expect(page.getByRole("heading", { name: "Rows", exact: true }).count()).resolves.toBe(1);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download the report (CSV)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^import-[0-9a-f-]{36}-report\.csv$/);
      const report = readFileSync((await download.path()) as string, "utf8").replace(/^\uFEFF/, "");
      const lines = report.split("\r\n");
      expect(lines[0]).toBe("Courriel,Prénom,Nom,Fonction,Code agent,result,reason");
      expect(lines.filter((l) => l.endsWith(",created,"))).toHaveLength(2);
      expect(lines.some((l) => l.startsWith("not-an-email,") && l.includes(",failed,email: "))).toBe(true);
      expect(lines.some((l) => l.includes(",duplicate,the same email as line 2"))).toBe(true);

      const people = await roster.t.ds.query(
        "SELECT given_name, employee_number FROM users WHERE emails->0->>'value' LIKE $1 ORDER BY given_name",
        [`%@${d}`],
      );
      expect(people).toEqual([
        { given_name: "Ana", employee_number: "A-1" },
        { given_name: "Bob", employee_number: "B-2" },
      ]);
    },
  );
});
