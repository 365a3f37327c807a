import express from "express";

/** The HTTP ceiling: express 5 with nothing in front of one small JSON answer. */
const app = express();
app.get("/", (_req, res) => void res.json({ status: "ok", service: "bare-express" }));

const server = app.listen(Number(process.env.PORT), "127.0.0.1", (err?: Error) => {
  if (err) {
    process.stderr.write(`bare-express: ${err.message}\n`);
    process.exit(1);
  }
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
