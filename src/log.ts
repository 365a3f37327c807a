import pino from "pino";
import { config } from "./config/env";

/** JSON lines on stdout; the bearer token never reaches the log. */
export const logger = pino({
  level: config().LOG_LEVEL,
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "password"], censor: "[redacted]" },
});
