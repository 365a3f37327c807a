import express from "express";
import { floorRoutes } from "./floor-routes";

/**
 * The HTTP ceiling: express 5 with nothing in front of one small JSON answer. Given FLOOR_DATABASE_URL, also the
 * floor of each SCIM workload (bench/floor-routes.ts) on a pg pool of FLOOR_POOL_SIZE.
 */
const app = express();
app.get("/", (_req, res) => void res.json({ status: "ok", service: "bare-express" }));
const endPool = process.env.FLOOR_DATABASE_URL
  ? floorRoutes(app, process.env.FLOOR_DATABASE_URL, Number(process.env.FLOOR_POOL_SIZE ?? 10))
  : async () => undefined;

const server = app.listen(Number(process.env.PORT), "127.0.0.1", (err?: Error) => {
  if (err) {
    process.stderr.write(`bare-express: ${err.message}\n`);
    process.exit(1);
  }
});
process.on("SIGTERM", () => {
  server.close(() => void endPool().finally(() => process.exit(0)));
  server.closeIdleConnections();
});
