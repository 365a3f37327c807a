import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
// Valid TypeScript (5.3+): a type-only import of the ESM-only jose from CommonJS needs resolution-mode.
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as Jose from "jose" with { "resolution-mode": "import" };

const { exportJWK, generateKeyPair, SignJWT } = require("jose") as typeof Jose;

/** A local JWKS endpoint and a signer for it: a stand-in for a company's OIDC provider, over real HTTP. */
export interface TestIssuer {
  jwksUrl: string;
  /** Signs `claims` with the published key (or with an unpublished one when `untrusted`). */
  sign(
    claims: Record<string, unknown>,
    opts?: { iss?: string; aud?: string; exp?: string | number; untrusted?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(issuer: string, audience: string): Promise<TestIssuer> {
  const pair = await generateKeyPair("RS256");
  const other = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server: Server = createServer((_req, res) =>
    res.setHeader("Content-Type", "application/json").end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    sign: (claims, o = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(o.iss ?? issuer)
        .setAudience(o.aud ?? audience)
        .setIssuedAt()
        .setExpirationTime(o.exp ?? "10m")
        .sign(o.untrusted ? other : pair.privateKey),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
