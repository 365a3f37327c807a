// `npm run screenshots`: Roster on a throwaway embedded database, sample people, an admin signed in through the
// provider in chromium, and a PNG of each console page of CONSOLE_SCREENSHOTS under docs/console/ (decision 0144).
import "reflect-metadata";
import { mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createApp } from "../src/app";
import { type Services, createServices } from "../src/composition";
import { parseConfig } from "../src/config/env";
import { openDatabase } from "../src/db/database";
import { freePort } from "../src/db/embedded";
import { type Ctx, systemActor } from "../src/domain/context";
import { setPasswordWithLink, signInToConsole } from "../test/support/browser-journeys";
import { ensureChromium, launchHeadless } from "../test/support/chromium";
import { CONSOLE_SCREENSHOTS } from "./console-screenshot-pages";

const OUT = path.resolve(__dirname, "../docs/console");
const ADMIN = "admin@example.com";
const PASSWORD = "violet harbour 41 tram kettle";
const ctx: Ctx = { actor: { ...systemActor, name: "cli:screenshots" }, door: "cli", requestId: null };

/** A small organisation, written through the same use cases as the admin API: entities, people, groups. */
async function seed(s: Services): Promise<void> {
  const acme = await s.entities.create(ctx, { name: "Acme", parentId: null, externalKey: null });
  const sales = await s.entities.create(ctx, { name: "Sales", parentId: acme.id, externalKey: null });
  const eng = await s.entities.create(ctx, { name: "Engineering", parentId: acme.id, externalKey: null });
  const people = [
    ["Ada", "Lovelace", eng.id],
    ["Alan", "Turing", eng.id],
    ["Grace", "Hopper", eng.id],
    ["Hélène", "Dubois", sales.id],
    ["Marc", "Lefèvre", sales.id],
    ["Yuki", "Tanaka", sales.id],
    ["Chloé", "Martin", acme.id],
  ] as const;
  const ids: string[] = [];
  for (const [givenName, familyName, entityId] of people) {
    const email = `${givenName}.${familyName}`.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    ids.push((await s.people.create(ctx, { email: `${email}@example.com`, givenName, familyName, entityId })).user.id);
  }
  await s.groups.create(ctx, { displayName: "Engineering all-hands", externalId: null }, ids.slice(0, 3));
  await s.groups.create(ctx, { displayName: "Sales EMEA", externalId: null }, ids.slice(3, 6));
}

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
  });
  const db = await openDatabase(cfg);
  let server: Server | undefined;
  const browser = await launchHeadless(chromium.path);
  try {
    const services = createServices(db.dataSource, cfg);
    const app = createApp(cfg, db.dataSource, services);
    server = app.listen(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => server!.once("listening", resolve).once("error", reject));
    await seed(services);
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
    for (const shot of CONSOLE_SCREENSHOTS) {
      const res = await page.goto(`${base}${shot.path}`);
      if (res?.status() !== 200) {
        skipped.push(`${shot.path} (${res?.status() ?? "no answer"})`);
        continue;
      }
      const file = path.join(OUT, `${shot.name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${path.relative(process.cwd(), file)}  ${shot.path}\n`);
    }
    if (skipped.length) process.stderr.write(`skipped, not answering 200: ${skipped.join(", ")}\n`);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
