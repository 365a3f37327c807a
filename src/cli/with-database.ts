import { type Services, createServices } from "../composition";
import { type Config, parseConfig } from "../config/env";
import { openDatabase } from "../db/database";

/** Opens the configured database (migrating it), runs `fn` with the services built on it, and always closes it again. */
export async function withDatabase<T>(fn: (services: Services, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = parseConfig();
  const db = await openDatabase(cfg);
  try {
    return await fn(createServices(db.dataSource, cfg), cfg);
  } finally {
    await db.close();
  }
}
