import "reflect-metadata";
import type { Server } from "node:http";
import { type Config, ConfigError, parseConfig } from "./config/env";

/** Starts Roster: config, database (embedded unless DATABASE_URL), migrations, then HTTP. */
async function main(): Promise<void> {
  let cfg: Config;
  try {
    cfg = parseConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`roster: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  // Before anything is allocated in bulk: the heap grows by a fixed share past its live size (decision 0151).
  (require("./heap-growth") as typeof import("./heap-growth")).setHeapGrowth(cfg.HEAP_GROWING_PERCENT);
  // Loaded after the config check so that a bad LOG_LEVEL is reported in one line too.
  const { logger } = require("./log") as typeof import("./log");
  const { openDatabase } = require("./db/database") as typeof import("./db/database");
  const { createApp } = require("./app") as typeof import("./app");
  const { createServices } = require("./composition") as typeof import("./composition");
  const { startWorker } = require("./worker/worker") as typeof import("./worker/worker");
  const { createMetrics } = require("./http/metrics") as typeof import("./http/metrics");
  const { AuditSealLoop } = require("./worker/audit-seal.loop") as typeof import("./worker/audit-seal.loop");

  const db = await openDatabase(cfg, (msg) => logger.info(msg));
  const services = createServices(db.dataSource, cfg);
  const sealer = services.auditSealer;
  await sealer.sealPending();
  // An anchor for `roster audit verify --anchor`, kept wherever the logs are shipped.
  const head = await services.auditChain.head();
  if (head) logger.info({ auditHead: head }, `audit chain head ${head.seq}:${head.hash}`);
  // The password estimator's dictionaries, loaded now rather than by the first person setting a password.
  if (!cfg.SSO_ONLY)
    (
      require("./domain/auth/password-strength") as typeof import("./domain/auth/password-strength")
    ).loadPasswordEstimator();
  const revocations = await services.tokens.watchRevocations(db.url);
  const settingsChanges = await services.settings.watch(db.url);
  // ROLE=web leaves the side modules and admin jobs to worker replicas; their jobs wait in the database meanwhile.
  const metrics = createMetrics();
  const worker = cfg.ROLE === "web" ? null : await startWorker(db.url, services, cfg, { registry: metrics.registry });
  const sealLoop = new AuditSealLoop(sealer, cfg.AUDIT_SEAL_INTERVAL_MS).start();
  const app = createApp(cfg, db.dataSource, services, metrics);
  const server: Server = app.listen(cfg.PORT, cfg.HOST);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  logger.info(
    { host: cfg.HOST, port: cfg.PORT, role: cfg.ROLE },
    `roster listening on http://${cfg.HOST}:${cfg.PORT} (role ${cfg.ROLE})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new connections, finishing requests in flight");
    const force = setTimeout(() => server.closeAllConnections(), cfg.SHUTDOWN_TIMEOUT_MS).unref();
    // Keep-alive sockets become idle as their last response ends: close them as soon as they do.
    const reap = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearInterval(reap);
    clearTimeout(force);
    // The job in hand finishes; claimed jobs not started are given back, the rest wait in the database.
    await worker?.stop();
    // Records committed by the last requests are sealed here, or by the next sealer of any replica.
    await sealLoop.stop();
    await sealer.sealBatch().catch((err) => logger.warn({ err }, "audit sealer: final seal failed"));
    await revocations.close();
    await settingsChanges.close();
    await db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  // One line whatever failed (initdb's output, for one, spans several); never a stack trace.
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`roster: failed to start: ${message.trim().replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
});
