import type { Config } from "./env";

/** The OpenID Provider's issuer: PUBLIC_BASE_URL (what the platform reaches Roster at), else the listening address. */
export const issuerOf = (cfg: Pick<Config, "PUBLIC_BASE_URL" | "HOST" | "PORT">): string =>
  (cfg.PUBLIC_BASE_URL ?? `http://${cfg.HOST}:${cfg.PORT}`).replace(/\/$/, "");
