import { inviteAdminWithCli } from "../support/admin-invite";
import { setPasswordWithLink, signInToConsole } from "../support/browser-journeys";
import { type BrowserServer, startBrowserServer, useBrowser } from "../support/real-browser";

jest.setTimeout(180_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer();
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

const PASSWORD = "violet harbour 41 tram kettle";
const sessionsOf = async (email: string): Promise<number> =>
  (
    await roster.t.ds.query(
      `SELECT count(*)::int AS n FROM console_sessions s JOIN users u ON u.id = s.user_id
        WHERE lower(u.user_name) = lower($1) AND s.expires_at > now()`,
      [email],
    )
  )[0].n;

describe("the console in chromium", () => {
  browserIt(
    "first admin invited from the CLI sets a password, signs in through Roster's provider and sees the console",
    async ({ page }) => {
      const email = `first.admin.${Date.now()}@corp.test`;
      const cli = await inviteAdminWithCli(email, roster.cliEnv);
      expect(cli.status).toBe(0);
      await setPasswordWithLink(page, cli.link!, PASSWORD);

      // the console sends the browser to Roster's own sign-in page, and back to the page asked for
      expect(await signInToConsole(page, roster.base, "/console", email, PASSWORD)).toBe(200);
      expect(new URL(page.url()).pathname).toBe("/console");
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Roster console");
      await expect(page.getByText("users:write").isVisible()).resolves.toBe(true);
      await expect(page.getByRole("link", { name: "Find people" }).getAttribute("href")).resolves.toBe(
        "/console/people",
      );
      expect(await sessionsOf(email)).toBe(1);

      // what an admin does next: the People page, where they find themselves, joined and just connected
      await page.getByRole("link", { name: "Find people" }).click();
      await page.waitForURL(`${roster.base}/console/people`);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("People");
      await page.getByLabel("Search").fill(email);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/\/console\/people\?/);
      const me = page.getByRole("row").filter({ hasText: email });
      expect(await me.count()).toBe(1);
      await expect(me.getByRole("cell").filter({ hasText: "Joined" }).count()).resolves.toBe(1);
      // their last connection is today's sign-in, not "Never"
      await expect(me.getByRole("cell", { name: "Never", exact: true }).count()).resolves.toBe(0);
      await expect(page.getByText("1 person matches").isVisible()).resolves.toBe(true);
    },
  );

  browserIt("a form post without its CSRF token is refused with 403 and changes nothing", async ({ page, context }) => {
    const email = `csrf.admin.${Date.now()}@corp.test`;
    const cli = await inviteAdminWithCli(email, roster.cliEnv);
    await setPasswordWithLink(page, cli.link!, PASSWORD);
    expect(await signInToConsole(page, roster.base, "/console", email, PASSWORD)).toBe(200);
    const auditsBefore = (await roster.t.ds.query("SELECT count(*)::int AS n FROM audit_events"))[0].n;

    // the browser's own cookies (the console session) go with it; only the token is missing
    const bare = await context.request.post(`${roster.base}/console/sign-out`, { form: {}, maxRedirects: 0 });
    expect(bare.status()).toBe(403);
    expect(await bare.text()).toContain("CSRF");

    // still signed in, the session untouched, nothing audited
    expect(await sessionsOf(email)).toBe(1);
    const again = await page.goto(`${roster.base}/console`);
    expect(again?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/console");
    expect((await roster.t.ds.query("SELECT count(*)::int AS n FROM audit_events"))[0].n).toBe(auditsBefore);

    // the same form with its token (the page's own sign-out button) does sign out
    await page.getByRole("button", { name: /sign out/i }).click();
    await page.waitForLoadState("load");
    expect(await sessionsOf(email)).toBe(0);
  });
});
