import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import type { TestApp } from "./app";
import { workerDatabaseUrl } from "./database";
import { startProviderApp } from "./oidc-browser";

/**
 * Real-browser tests (test/e2e): playwright-core driving Debian's chromium (decision 0144). One browser per test file,
 * a fresh context (cookies, storage) per test, a screenshot of the page when a test fails.
 */

/** Where failed tests leave their screenshots: ROSTER_E2E_SCREENSHOTS, else a folder under the temp dir. */
export const SCREENSHOT_DIR = process.env.ROSTER_E2E_SCREENSHOTS ?? path.join(os.tmpdir(), "roster-e2e-screenshots");

/** Headless chromium (global-setup.ts found or installed it); `--no-sandbox` under root, where Chromium needs it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.ROSTER_TEST_CHROMIUM;
  if (!executablePath) throw new Error(process.env.ROSTER_TEST_CHROMIUM_ERROR ?? "run the browser tests through jest");
  return chromium.launch({
    executablePath,
    headless: true,
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
}

/**
 * Roster for a browser: the real app listening on a loopback port, its PUBLIC_BASE_URL (the provider's issuer) that
 * very address, so the console's sign-in through the provider works over real HTTP. `cliEnv` points the CLI (a child
 * process) at the same database and address.
 */
export interface BrowserServer {
  t: TestApp;
  base: string;
  server: Server;
  cliEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startBrowserServer(env: Record<string, string> = {}): Promise<BrowserServer> {
  const { t, base, server } = await startProviderApp(env);
  const cliEnv = { DATABASE_URL: await workerDatabaseUrl(), PUBLIC_BASE_URL: base, LOG_LEVEL: "silent", ...env };
  return {
    t,
    base,
    server,
    cliEnv,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export interface BrowserTestContext {
  page: Page;
  context: BrowserContext;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 120);

/**
 * Runs `fn` in a fresh context of `browser()`; when it fails, the page is saved as a PNG under SCREENSHOT_DIR and
 * the error names the file. The context is always closed.
 */
export async function inFreshContext(
  browser: Browser,
  name: string,
  fn: (c: BrowserTestContext) => Promise<void>,
  baseURL?: string,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL });
  const page = await context.newPage();
  try {
    await fn({ page, context });
  } catch (err) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${fileSafe(name)}-${Date.now()}.png`);
    const saved = await page.screenshot({ path: file, fullPage: true }).then(
      () => `screenshot: ${file}`,
      (e: unknown) => `no screenshot (${e instanceof Error ? e.message : String(e)})`,
    );
    if (err instanceof Error) err.message = `${err.message}\n${saved} (page ${page.url()})`;
    throw err;
  } finally {
    await context.close();
  }
}

/**
 * A jest `it` whose body gets a fresh page (inFreshContext), the browser launched once for the file by `useBrowser`.
 */
export function useBrowser(baseURL: () => string | undefined = () => undefined) {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return (name: string, fn: (c: BrowserTestContext) => Promise<void>, timeout?: number) =>
    it(
      name,
      () => {
        if (!browser) throw new Error("the browser did not start (see beforeAll)");
        return inFreshContext(browser, `${expect.getState().currentTestName ?? name}`, fn, baseURL());
      },
      timeout,
    );
}

/** Whether the focused element shows its focus (an outline or a ring): keyboard users see where they are. */
export function focusIsVisible(page: Page): Promise<boolean> {
  // a string: this runs in the page, and the tests are compiled without the DOM's types
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow !== "none" && s.boxShadow !== "");
  })()`);
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses): how many it took, or null. */
export async function tabUntil(page: Page, selector: string, max = 15): Promise<number | null> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    if ((await page.locator(`${selector}:focus`).count()) > 0) return i;
  }
  return null;
}
