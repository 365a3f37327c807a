import { ConsoleSessionsService } from "../domain/console/console-sessions.service";
import type { Foundation } from "./foundation";

/** console: the admin console's browser sessions (the foundation's box seals what the console keeps in a cookie). */
export interface ConsoleServices {
  consoleSessions: ConsoleSessionsService;
}

export function buildConsole({ ds, cfg }: Foundation): ConsoleServices {
  return {
    consoleSessions: new ConsoleSessionsService(ds, {
      idleMs: cfg.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      maxMs: cfg.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
    }),
  };
}
