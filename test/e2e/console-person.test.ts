import type { Page } from "playwright-core";
import { entity, person } from "../support/admin-fixtures";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { type BrowserServer, startBrowserServer, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

jest.setTimeout(120_000);

let roster: BrowserServer;
beforeAll(async () => {
  roster = await startBrowserServer();
});
afterAll(async () => roster.close());
const browserIt = useBrowser(() => roster.base);

/** Opens a console page as a new admin (or the one given), signing in on Roster's own page as a person would. */
async function openAs(page: Page, path: string, role: "admin" = "admin", adminScope?: string[]) {
  const who = await consolePerson(roster.t.ds, role, { adminScope });
  await signInToConsole(page, roster.base, path, who.userName, PASSWORD);
  return who;
}

describe("the console's people pages, in chromium", () => {
  browserIt("adds a person and sees a validation error fixed", async ({ page }) => {
    await openAs(page, "/console/people/new");
    const email = `joanna.walker.${Date.now()}@corp.test`;
    await page.getByRole("textbox", { name: /^Email/ }).fill(email);
    await page.getByLabel("Given name").fill("Jo");
    await page.getByLabel("Family name").fill("Walker");
    await page.getByRole("button", { name: "Add the person" }).click();
    await expect(page.getByText("must be at least 3 characters").isVisible()).resolves.toBe(true);
    // the error is tied to its field, and what was typed is still there
    await expect(page.getByLabel("Given name").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.getByRole("textbox", { name: /^Email/ }).inputValue()).resolves.toBe(email);

    await page.getByLabel("Given name").fill("Joanna");
    await page.getByRole("button", { name: "Add the person" }).click();
    await page.waitForURL(/\/console\/people\/[0-9a-f-]{36}\?done=created$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain("Person added.");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Joanna Walker");
    const [row] = await roster.t.ds.query("SELECT user_name FROM users WHERE emails @> $1::jsonb", [
      JSON.stringify([{ value: email }]),
    ]);
    expect(row.user_name).toBe("joanna.walker");
  });

  browserIt("pastes emails and sees each line's outcome", async ({ page }) => {
    await openAs(page, "/console/people/batch");
    const stamp = Date.now();
    await page
      .getByLabel("Emails, one per line")
      .fill([`mia.lund${stamp}@corp.test`, "no address here", `otto${stamp}@corp.test, Otto, Berg`].join("\n"));
    await page.getByLabel("Invite later").check();
    await page.getByRole("button", { name: "Add these people" }).click();
    await expect(page.getByText("2 added, 0 already there, 1 refused, 0 repeated.").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("row", { name: /no address here/ }).textContent()).resolves.toContain("refused");
    const [{ n }] = await roster.t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND door = 'console' AND changes::text LIKE $1",
      [`%${stamp}@corp.test%`],
    );
    expect(n).toBe(2);
  });

  browserIt("deactivates a person and sees the audit entry", async ({ page }) => {
    const p = await person(roster.t);
    const admin = await openAs(page, `/console/people/${p.id}`);
    await page.getByRole("button", { name: "Deactivate" }).click();
    await page.waitForURL(`${roster.base}/console/people/${p.id}?done=deactivated`);
    await expect(page.getByText("Account deactivated:").isVisible()).resolves.toBe(true);
    const entry = page.getByRole("row", { name: /user\.deactivated/ });
    await expect(entry.textContent()).resolves.toContain(admin.userName);
    await expect(entry.textContent()).resolves.toContain("console");
    await expect(page.getByRole("button", { name: "Activate" }).isVisible()).resolves.toBe(true);
    const [row] = await roster.t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]);
    expect(row.active).toBe(false);
  });

  browserIt("keeps an entity-scoped admin out of a person outside their entity", async ({ page }) => {
    const mine = await entity(roster.t, `Lyon ${Date.now()}`);
    const other = await entity(roster.t, `Oslo ${Date.now()}`);
    const inside = await person(roster.t, { entityId: mine });
    const outside = await person(roster.t, { entityId: other });
    await openAs(page, `/console/people/${inside.id}`, "admin", [mine]);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain(
      String(inside.body.givenName),
    );
    const res = await page.goto(`/console/people/${outside.id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Not found, or outside what you may see",
    );
    await expect(page.getByText(String(outside.body.familyName)).count()).resolves.toBe(0);
  });
});
