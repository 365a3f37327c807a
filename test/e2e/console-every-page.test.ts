import type { Page } from "playwright-core";
import { CONSOLE_SCREENSHOTS } from "../../scripts/console-screenshot-pages";
import { type Seeded, seed, startReceiver } from "../../scripts/console-screenshot-seed";
import { consolePerson } from "../support/console";
import { PASSWORD } from "../support/oidc-browser";
import { type BrowserServer, startBrowserServer, useBrowser } from "../support/real-browser";
import { signInToConsole } from "../support/browser-journeys";

// Every main console page, over the sample organisation the screenshots show, walked with the keyboard alone in
// chromium: each control has a label (or a name), Tab reaches it, and the focus can be seen on every Tab stop.
jest.setTimeout(300_000);

let roster: BrowserServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let ids: Seeded;
beforeAll(async () => {
  roster = await startBrowserServer({ WORKER_POLL_MS: "50" });
  receiver = await startReceiver();
  await roster.t.startWorker();
  ids = await seed(roster.t.services, roster.base, receiver.url);
}, 180_000);
afterAll(async () => {
  await roster.close();
  await receiver.close();
});
const browserIt = useBrowser(() => roster.base);

/** Pages past the pictured ones: forms reached from them. */
const MORE = ["/console/people/{person}/edit", "/console/jobs", "/console/sso/new", "/console/sso/signup-links"];
const fill = (p: string) => p.replace(/\{(\w+)\}/g, (all, key: string) => ids[key] ?? all);

interface Audit {
  controls: number;
  unnamed: string[];
}

// Strings: this runs in the page, and the tests are compiled without the DOM's types.
/** Marks each control the keyboard should reach (one per radio group: arrows move inside it) and lists unnamed ones. */
const MARK = `(() => {
  const shown = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const seen = new Set();
  const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
    .filter((e) => shown(e) && !e.disabled)
    .filter((e) => e.type !== "radio" || (!seen.has(e.name) && seen.add(e.name)));
  all.forEach((e, i) => e.setAttribute("data-walk", String(i)));
  const field = (e) => ["INPUT", "SELECT", "TEXTAREA"].includes(e.tagName);
  const named = (e) => field(e)
    ? (e.labels && e.labels.length > 0) || !!e.getAttribute("aria-label") || !!e.getAttribute("aria-labelledby")
    : !!(e.getAttribute("aria-label") || e.textContent.trim());
  return { controls: all.length, unnamed: all.filter((e) => !named(e)).map((e) => e.outerHTML.slice(0, 120)) };
})()`;

/** Where the focus is: its mark (a radio's group counts as its first radio), and whether an outline or ring shows. */
const FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== "none" && s.boxShadow !== "");
  const group = el.type === "radio" ? document.querySelector('input[type=radio][name="' + el.name + '"][data-walk]') : el;
  return { mark: group && group.getAttribute("data-walk"), ring, html: el.outerHTML.slice(0, 120) };
})()`;

async function walk(page: Page, path: string) {
  const res = await page.goto(path);
  expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
  const audit = (await page.evaluate(MARK)) as Audit;
  const reached = new Set<string>();
  const hidden: string[] = [];
  // date fields take several Tab stops each (day, month, year, time, the calendar button)
  for (let i = 0; i < audit.controls * 2 + 20 && reached.size < audit.controls; i++) {
    await page.keyboard.press("Tab");
    const f = (await page.evaluate(FOCUS)) as { mark: string | null; ring: boolean; html: string } | null;
    if (!f) continue;
    if (f.mark) reached.add(f.mark);
    if (!f.ring) hidden.push(f.html);
  }
  const missed = (await page.evaluate(
    `[...document.querySelectorAll("[data-walk]")].map((e) => [e.getAttribute("data-walk"), e.outerHTML.slice(0, 120)])`,
  )) as [string, string][];
  return {
    path,
    unnamed: audit.unnamed,
    notReached: missed.filter(([k]) => !reached.has(k)).map(([, h]) => h),
    focusNotShown: [...new Set(hidden)],
  };
}

describe("every console page by keyboard, in chromium", () => {
  browserIt("each control is named, reached by Tab and shows its focus", async ({ page }) => {
    const admin = await consolePerson(roster.t.ds, "admin");
    await signInToConsole(page, roster.base, "/console", admin.userName, PASSWORD);
    const paths = [...CONSOLE_SCREENSHOTS.filter((s) => !s.language).map((s) => s.path), ...MORE].map(fill);
    expect(paths.filter((p) => p.includes("{"))).toEqual([]);
    for (const path of paths) {
      const found = await walk(page, path);
      expect(found).toEqual({ path, unnamed: [], notReached: [], focusNotShown: [] });
    }
  });
});
