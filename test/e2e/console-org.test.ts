import { person } from "../support/admin-fixtures";
import { consolePerson } from "../support/console";
import { memberIds, scimGroup } from "../support/group-fixtures";
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

describe("the console's entities and groups, in chromium", () => {
  browserIt(
    "an admin creates an entity with the keyboard only, then adds a person to a group by email",
    async ({ page }) => {
      const admin = await consolePerson(roster.t.ds, "admin");
      const newcomer = await person(roster.t);
      const group = await scimGroup(roster.t, `Browser Crew ${Date.now()}`);
      const groupName = (await roster.t.ds.query("SELECT display_name FROM groups WHERE id = $1", [group]))[0]
        .display_name as string;

      await signInToConsole(page, roster.base, "/console/entities", admin.userName, PASSWORD);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Entities");

      // keyboard only: into the name field, type, Tab past the parent (top level) and the key to the button, Enter
      const name = `Keyboard office ${Date.now()}`;
      await page.getByLabel(/^Name/).focus();
      await page.keyboard.type(name);
      expect(await tabUntil(page, 'form[action="/console/entities"] button[type=submit]', 5)).toBe(3);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/console\/entities\/[0-9a-f-]{36}\?done=created$/);
      await expect(page.getByRole("status").first().textContent()).resolves.toContain("The entity was created.");
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(name);
      const rows = await roster.t.ds.query("SELECT parent_id FROM entities WHERE name = $1", [name]);
      expect(rows).toEqual([{ parent_id: null }]);

      await page.getByRole("link", { name: "Groups", exact: true }).click();
      await page.getByLabel("Name contains").fill(groupName);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: groupName }).click();
      await page.getByLabel("People to add").fill(newcomer.email);
      await page.getByRole("button", { name: "Add them" }).click();
      await page.waitForURL(/done=added/);
      await expect(page.getByRole("status").first().textContent()).resolves.toContain("1 added to the group.");
      await expect(page.getByRole("cell", { name: newcomer.email }).isVisible()).resolves.toBe(true);
      expect(await memberIds(roster.t, group)).toEqual([newcomer.id]);
      const [audit] = await roster.t.ds.query(
        "SELECT door, actor_id FROM audit_events WHERE action = 'membership.added' AND target_id = $1",
        [group],
      );
      expect(audit).toEqual({ door: "console", actor_id: admin.id });
    },
  );
});
