import type { Page } from "playwright-core";
import { hashSecret } from "../../src/domain/secrets";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { type BrowserServer, focusIsVisible, startBrowserServer, tabUntil, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer();
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

/** Opens a console page as a new admin: Roster's sign-in page first, typed by label, then back to the page. */
async function signInAsAdmin(page: Page, path: string) {
  const admin = await consolePerson(roster.t.ds, "admin");
  await signInToConsole(page, roster.base, path, admin.userName, PASSWORD);
}

describe("the console's API tokens, in chromium", () => {
  browserIt("an admin creates a token and sees it once, never again in the list", async ({ page }) => {
    await signInAsAdmin(page, "/console/tokens");
    await page.getByLabel("Name").fill("e2e-okta");
    await page.getByLabel("Scope").selectOption("admin");
    await page.getByRole("button", { name: "Create the token" }).click();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("API token created");
    const token = (await page.locator("#secret-value").textContent()) ?? "";
    expect(token.length).toBeGreaterThan(20);
    await expect(page.getByText("This is the only time the token is shown").isVisible()).resolves.toBe(true);

    await page.getByRole("link", { name: "Back to the API tokens" }).click();
    await expect(page.getByRole("cell", { name: "e2e-okta", exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(token);
    const [row] = await roster.t.ds.query("SELECT scope, token_hash FROM api_tokens WHERE name = 'e2e-okta'");
    expect(row).toEqual({ scope: "admin", token_hash: hashSecret(token) });
  });

  browserIt(
    "the token form works by keyboard alone, with a visible focus, and shows its error beside the name",
    async ({ page }) => {
      await signInAsAdmin(page, "/console/tokens");
      await page.getByLabel("Name").focus();
      await page.keyboard.type("not valid!");
      expect(await tabUntil(page, "button[type=submit]", 5)).toBe(2);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press("Enter");
      await page.locator("#f-name-error").waitFor(); // the answer page, its error beside the name
      await expect(page.locator("#f-name-error").textContent()).resolves.toContain("letters, digits");
      await expect(page.getByLabel("Name").inputValue()).resolves.toBe("not valid!");

      await page.getByLabel("Name").focus();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("e2e-keyboard");
      await tabUntil(page, "button[type=submit]", 5);
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "API token created" }).waitFor();
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("API token created");
      const [row] = await roster.t.ds.query("SELECT scope FROM api_tokens WHERE name = 'e2e-keyboard'");
      expect(row).toEqual({ scope: "scim" });
    },
  );
});
