import type { Page } from "playwright-core";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { type BrowserServer, focusIsVisible, startBrowserServer, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

// Keyboard-only use of the console in chromium: defects found walking every page with Tab (issue 17's last gaps).
jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer();
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

async function signInAsAdmin(page: Page, path: string) {
  const admin = await consolePerson(roster.t.ds, "admin");
  await signInToConsole(page, roster.base, path, admin.userName, PASSWORD);
}

const focusedId = (page: Page) =>
  page.evaluate("document.activeElement && document.activeElement.id") as Promise<string>;

describe("the console by keyboard, in chromium", () => {
  browserIt("every Tab stop inside the audit log's date fields shows where the focus is", async ({ page }) => {
    await signInAsAdmin(page, "/console/audit");
    for (const id of ["f-from", "f-to"]) {
      await page.locator(`#${id}`).focus();
      let stops = 0;
      // day, month, year, hours, minutes, and chromium's calendar button: each a Tab stop of the one field
      while ((await focusedId(page)) === id && stops < 12) {
        stops++;
        expect({ id, stop: stops, visible: await focusIsVisible(page) }).toEqual({ id, stop: stops, visible: true });
        await page.keyboard.press("Tab");
      }
      expect(stops).toBeGreaterThan(5); // the calendar button, the stop that showed no focus, was reached
    }
  });
});
