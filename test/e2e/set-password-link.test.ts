import { inviteAdminWithCli } from "../support/admin-invite";
import { type BrowserServer, focusIsVisible, startBrowserServer, tabUntil, useBrowser } from "../support/real-browser";

jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer();
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

const PASSWORD = "violet harbour 41 tram kettle";

describe("the set-password link from `roster admin invite`, in chromium", () => {
  browserIt(
    "is filled in by label, reached by keyboard with a visible focus, submitted, and the success page shows",
    async ({ page }) => {
      const email = `first.admin.${Date.now()}@corp.test`;
      const cli = inviteAdminWithCli(email, roster.cliEnv);
      expect(cli.stderr).toContain("created as admin");
      expect(cli.link).toMatch(new RegExp(`^${roster.base}/auth/invitations/`));

      await page.goto(cli.link!);
      await expect(page.title()).resolves.toBe("Join Roster");
      await page.getByLabel("First name").fill("Grace");
      await page.getByLabel("Last name").fill("Hopper");
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("The same password again").fill("not the same");
      await page.getByRole("button", { name: "Set my password" }).click();
      // the page says what was wrong and keeps the names typed
      await expect(page.getByText("The two passwords are not the same.").isVisible()).resolves.toBe(true);
      await expect(page.getByLabel("First name").inputValue()).resolves.toBe("Grace");

      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("The same password again").fill(PASSWORD);
      // keyboard only from the first field: Tab reaches the submit button, which shows its focus; Enter submits
      await page.getByLabel("First name").focus();
      expect(await tabUntil(page, "button[type=submit]")).toBe(4);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press("Enter");
      await page.waitForURL(cli.link!);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Your password is set");
      await expect(page.locator("strong").textContent()).resolves.toBe(email);

      const [row] = await roster.t.ds.query(
        "SELECT given_name, enrolled_at FROM users WHERE lower(user_name) = lower($1)",
        [email],
      );
      expect(row.given_name).toBe("Grace");
      expect(row.enrolled_at).not.toBeNull();
    },
  );
});
