import { randomBytes } from "node:crypto";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { seedPerson } from "../support/people";
import { type BrowserServer, startBrowserServer, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  // More than 2 people make a background job, worked through by the worker's runners (started when the test says).
  roster = await startBrowserServer({ ADMIN_ACTIONS_SYNC_MAX: "2", WORKER_POLL_MS: "50" });
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

describe("the people list in chromium", () => {
  browserIt(
    "filters 'never connected', invites everyone matching, and watches the job's progress reach done",
    async ({ page }) => {
      const { ds } = roster.t;
      const word = `Kx${randomBytes(4).toString("hex").replace(/\d/g, "q")}`;
      const never = [];
      for (let i = 0; i < 3; i++) never.push((await seedPerson(ds, { familyName: word, givenName: `Ann${i}` })).id);
      const connected = await seedPerson(ds, { familyName: word, enrolledAt: new Date(), lastLoginAt: new Date() });
      const admin = await consolePerson(ds, "admin");

      await signInToConsole(page, roster.base, "/console/people", admin.userName, PASSWORD);

      await page.getByLabel("Search").fill(word);
      await page.getByLabel("Connection").selectOption({ label: "Never connected" });
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/connection=never/);
      await expect(page.getByText("3 people match").isVisible()).resolves.toBe(true);
      await expect(page.getByRole("checkbox").count()).resolves.toBe(3);
      await expect(page.getByRole("checkbox", { name: `Select Ann0 ${word}` }).isVisible()).resolves.toBe(true);

      await page.getByLabel("All people matching the filters (3)").check();
      await page.getByRole("button", { name: "Invite" }).click();
      await page.waitForURL(/\/console\/jobs\/[0-9a-f-]{36}\?done=invite$/);
      const progress = page.getByRole("status").filter({ hasText: "Progress" });
      await expect(progress.getByText("Waiting to start").isVisible()).resolves.toBe(true);

      // The worker starts now; the progress region is polled by htmx and shows the job reach its end.
      await roster.t.startWorker();
      await progress.getByText("Finished", { exact: true }).waitFor({ timeout: 30_000 });
      await expect(progress.getByText("3 of 3 people processed").first().isVisible()).resolves.toBe(true);
      await expect(page.locator("#job-done").textContent()).resolves.toBe("3");

      const rows = await ds.query("SELECT user_id, door FROM invitations WHERE user_id = ANY($1::uuid[])", [
        [...never, connected.id],
      ]);
      expect(rows.map((r: { user_id: string }) => r.user_id).sort()).toEqual([...never].sort());
      expect(rows.every((r: { door: string }) => r.door === "console")).toBe(true);
    },
  );
});
