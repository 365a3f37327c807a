// `npm run screenshots`: Roster on a throwaway embedded database, sample people, an admin signed in through the
// provider in chromium, and a PNG of each console page of CONSOLE_SCREENSHOTS under docs/console/ (decision 0144).
import "reflect-metadata";
import { mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createApp } from "../src/app";
import { createServices } from "../src/composition";
import { parseConfig } from "../src/config/env";
import { openDatabase } from "../src/db/database";
import { freePort } from "../src/db/embedded";
import { type Ctx, systemActor } from "../src/domain/context";
import type { RunningWorker } from "../src/worker/worker";
import { setPasswordWithLink, signInToConsole } from "../test/support/browser-journeys";
import { ensureChromium, launchHeadless } from "../test/support/chromium";
import { startWorker } from "../src/worker/worker";
import { CONSOLE_SCREENSHOTS } from "./console-screenshot-pages";
import { type Seeded, seed, startReceiver } from "./console-screenshot-seed";

const OUT = path.resolve(__dirname, "../docs/console");
const ADMIN = "admin@example.com";
const PASSWORD = "violet harbour 41 tram kettle";
const ctx: Ctx = { actor: { ...systemActor, name: "cli:screenshots" }, door: "cli", requestId: null };

/** The page's address: its `{key}`s replaced by the seed's ids (a key the seed did not make is left, and skipped). */
const fill = (p: string, ids: Seeded) => p.replace(/\{(\w+)\}/g, (all, key: string) => ids[key] ?? all);

async function main(): Promise<void> {
  const chromium = ensureChromium();
  if ("error" in chromium) throw new Error(chromium.error);
  // 0755, not mkdtemp's 0700: under root the embedded PostgreSQL runs as the `postgres` user
  const dataDir = path.join(os.tmpdir(), `roster-screenshots-${randomBytes(6).toString("hex")}`);
  mkdirSync(dataDir, { mode: 0o755 });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const cfg = parseConfig({
    ...env,
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: "silent",
    // the seed's webhook receiver and SSO issuer (Roster's own provider) are on loopback
    ALLOW_PRIVATE_TARGETS: "true",
    WORKER_POLL_MS: "100",
  });
  const db = await openDatabase(cfg);
  let server: Server | undefined;
  const receiver = await startReceiver();
  let worker: RunningWorker | undefined;
  const browser = await launchHeadless(chromium.path);
  try {
    const services = createServices(db.dataSource, cfg);
    const app = createApp(cfg, db.dataSource, services);
    server = app.listen(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => server!.once("listening", resolve).once("error", reject));
    worker = await startWorker(db.url, services, cfg);
    const ids = await seed(services, base, receiver.url);
    const { token } = await services.adminInvites.invite(ctx, ADMIN);

    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" })
    ).newPage();
    await setPasswordWithLink(page, `${base}/auth/invitations/${token}`, PASSWORD, {
      givenName: "Margaret",
      familyName: "Hamilton",
    });
    const signedIn = await signInToConsole(page, base, "/console", ADMIN, PASSWORD);
    if (signedIn !== 200) throw new Error(`signing in to the console answered ${signedIn}`);
    mkdirSync(OUT, { recursive: true });
    const skipped: string[] = [];
    let language = "en";
    for (const shot of CONSOLE_SCREENSHOTS) {
      const at = fill(shot.path, ids);
      if ((shot.language ?? "en") !== language) {
        language = shot.language ?? "en";
        await page.goto(`${base}/console/language?to=${language}&back=${encodeURIComponent(at)}`);
      }
      const res = await page.goto(`${base}${at}`);
      if (res?.status() !== 200) {
        skipped.push(`${at} (${res?.status() ?? "no answer"})`);
        continue;
      }
      const file = path.join(OUT, `${shot.name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${path.relative(process.cwd(), file)}  ${at}\n`);
    }
    if (skipped.length) process.stderr.write(`skipped, not answering 200: ${skipped.join(", ")}\n`);
  } finally {
    await browser.close();
    await worker?.stop();
    await receiver.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
