import { DataSource } from "typeorm";
import { parseConfig } from "../config/env";
import { openDatabase } from "../db/database";

/** Opens the configured database (migrating it), runs `fn`, and always closes it again. */
export async function withDatabase<T>(fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const db = await openDatabase(parseConfig());
  try {
    return await fn(db.dataSource);
  } finally {
    await db.close();
  }
}
