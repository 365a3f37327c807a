import { rmSync } from "node:fs";

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __rosterTestDb?: { stop(): Promise<void> } }).__rosterTestDb;
  await db?.stop();
  if (process.env.ROSTER_TEST_PG_DIR) rmSync(process.env.ROSTER_TEST_PG_DIR, { recursive: true, force: true });
}
