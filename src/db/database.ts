import type { DataSource } from "typeorm";
import type { Config } from "../config/env";
import { createDataSource, dbTimeouts, migrationTimeouts } from "./data-source";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./embedded";

export interface Database {
  dataSource: DataSource;
  url: string;
  /** True when this process started the embedded PostgreSQL (and so must stop it). */
  embedded: boolean;
  close(): Promise<void>;
}

type Log = (msg: string) => void;

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR, then applies pending migrations. */
export async function openDatabase(cfg: Config, log: Log = () => undefined): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = cfg.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: cfg.DATA_DIR,
      port: cfg.EMBEDDED_PG_PORT,
      database: "roster",
      onNotice: log,
      sharedBuffers: cfg.EMBEDDED_PG_SHARED_BUFFERS,
    });
    url = embedded.url;
    log(`embedded PostgreSQL started on ${new URL(url).port} (data in ${cfg.DATA_DIR}/pg)`);
  }
  const timeouts = dbTimeouts(cfg);
  const dataSource = createDataSource(url, cfg.DB_POOL_SIZE, timeouts);
  // Migrations run on a connection of their own, free of the statement and reply bounds that protect requests.
  const migrator = createDataSource(url, 1, migrationTimeouts(timeouts));
  try {
    await migrator.initialize();
    const applied = await migrator.runMigrations({ transaction: "each" });
    for (const m of applied) log(`migration applied: ${m.name}`);
    await migrator.destroy();
    await dataSource.initialize();
  } catch (e) {
    if (migrator.isInitialized) await migrator.destroy();
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw e;
  }
  return {
    dataSource,
    url,
    embedded: Boolean(embedded),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
