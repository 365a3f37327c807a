// Valid TypeScript (5.3+): a type-only import of the ESM-only jose from CommonJS needs resolution-mode.
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as Jose from "jose" with { "resolution-mode": "import" };
import type { Actor } from "../../domain/context";

export interface JwtSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: string[];
}

export type JwtClaims = Jose.JWTPayload;
/** The verified claims of a bearer JWT, or null when it is not one or does not verify. */
export type JwtChecker = (token: string) => Promise<JwtClaims | null>;
export type JwtVerifier = (token: string) => Promise<Actor | null>;

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Verifies a bearer JWT against the configured issuer's JWKS (jose): issuer, audience, algorithm and lifetime all checked. */
export function createJwtChecker(s: JwtSettings): JwtChecker {
  // jose is ESM-only; Node >= 20.19 loads it with require().
  const jose = require("jose") as typeof Jose;
  const keys = jose.createRemoteJWKSet(new URL(s.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (token) => {
    if (!JWT_SHAPE.test(token)) return null;
    try {
      const { payload } = await jose.jwtVerify(token, keys, {
        issuer: s.issuer,
        audience: s.audience,
        algorithms: s.algorithms,
        clockTolerance: 60,
      });
      return payload;
    } catch {
      return null;
    }
  };
}

/** A JWT checker whose answer is the acting client (Entra's provisioning app id, or the subject). */
export function createJwtVerifier(s: JwtSettings): JwtVerifier {
  const check = createJwtChecker(s);
  return async (token) => {
    const payload = await check(token);
    if (!payload) return null;
    const subject = String(payload.appid ?? payload.azp ?? payload.sub ?? "unknown");
    return { type: "token", id: subject, name: `jwt:${payload.iss}` };
  };
}
