import type { Claims } from "./sso.rules";

/** What a call to a company IdP needs: its discovered metadata and the client's credentials (the secret opened). */
export interface IdpClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  serverMetadata: Record<string, unknown>;
}

/** The checks a callback is held to: the values the sign-in's start kept server-side. */
export interface CallbackChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** Why a call to a company IdP failed: `private_target` (refused before any call), `discovery` or `exchange`. */
export class IdpCallError extends Error {
  constructor(
    readonly kind: "private_target" | "discovery" | "exchange",
    readonly reason: string,
  ) {
    super(`${kind}: ${reason}`);
  }
}

/**
 * The relying-party side of a company IdP (OpenID Connect authorization code with PKCE), typed here and implemented
 * over openid-client and the outbound guard in src/net/company-idp.client.ts: the domain decides, never speaks HTTP.
 */
export interface CompanyIdp {
  /** The issuer's metadata (its discovery document); throws IdpCallError. */
  discover(issuer: string): Promise<Record<string, unknown>>;
  authorizationUrl(
    client: IdpClient,
    p: { redirectUri: string; scopes: string[]; state: string; nonce: string; codeVerifier: string },
  ): Promise<URL>;
  /** Exchanges the callback's code; the ID token checked (signature, issuer, audience, nonce, expiry): its claims. */
  exchange(client: IdpClient, callbackUrl: URL, checks: CallbackChecks): Promise<Claims>;
}
