import type * as Jose from "jose" with { "resolution-mode": "import" };
import { Actor } from "../../domain/context";

export interface JwtSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: string[];
}

export type JwtVerifier = (token: string) => Promise<Actor | null>;

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Verifies a bearer JWT against the configured issuer's JWKS (jose): issuer, audience, algorithm and lifetime all checked. */
export function createJwtVerifier(s: JwtSettings): JwtVerifier {
  // jose is ESM-only; Node >= 20.19 loads it with require().
  const jose = require("jose") as typeof Jose;
  const keys = jose.createRemoteJWKSet(new URL(s.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (token) => {
    if (!JWT_SHAPE.test(token)) return null;
    try {
      const { payload } = await jose.jwtVerify(token, keys, { issuer: s.issuer, audience: s.audience, algorithms: s.algorithms, clockTolerance: 60 });
      const subject = String(payload.appid ?? payload.azp ?? payload.sub ?? "unknown");
      return { type: "token", id: subject, name: `jwt:${payload.iss}` };
    } catch {
      return null;
    }
  };
}
