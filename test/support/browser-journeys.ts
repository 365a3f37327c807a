import type { Page } from "playwright-core";

/**
 * Steps of the browser journeys, by what a person sees (labels, button names), shared by test/e2e and
 * `npm run screenshots`. No jest here: the screenshots script runs them too.
 */

/** Opens a set-password link and sets `password` (and the names, when the page asks for them); the success page. */
export async function setPasswordWithLink(
  page: Page,
  link: string,
  password: string,
  names = { givenName: "Grace", familyName: "Hopper" },
): Promise<void> {
  await page.goto(link);
  if (await page.getByLabel("First name").count()) {
    await page.getByLabel("First name").fill(names.givenName);
    await page.getByLabel("Last name").fill(names.familyName);
  }
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("The same password again").fill(password);
  await page.getByRole("button", { name: "Set my password" }).click();
  await page.getByRole("heading", { name: "Your password is set" }).waitFor();
}

/**
 * Opens a console path; the console sends the browser to Roster's own sign-in page (the provider), where the login and
 * password are typed; the browser comes back to the path asked for. Answers the final response's status.
 */
export async function signInToConsole(page: Page, base: string, path: string, login: string, password: string) {
  await page.goto(`${base}${path}`);
  await page.waitForURL((url) => url.pathname.startsWith("/auth/sign-in/"));
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  const [answer] = await Promise.all([
    page.waitForResponse(
      (r) => new URL(r.url()).pathname === new URL(path, base).pathname && r.request().isNavigationRequest(),
    ),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await page.waitForLoadState("load");
  return answer.status();
}
