// Valid TypeScript (5.3+): a type-only import of the ESM-only openid-client from CommonJS needs resolution-mode.
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as OpenIdClient from "openid-client" with { "resolution-mode": "import" };
import type { CallbackChecks, CompanyIdp, IdpClient } from "../domain/sso/company-idp";
import { IdpCallError } from "../domain/sso/company-idp";
import type { Claims } from "../domain/sso/sso.rules";
import { PrivateTargetError, assertPublicTarget, outboundFetch } from "./outbound-target";

export interface CompanyIdpOptions {
  /** ALLOW_PRIVATE_TARGETS: loopback, private and http:// issuers allowed (tests, closed networks). */
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * The company IdP client over openid-client (a certified relying party: discovery, PKCE, ID token checks), every
 * request of it (discovery, JWKS, token) sent through outboundFetch, so an issuer an admin typed cannot reach
 * Roster's own network unless ALLOW_PRIVATE_TARGETS says so.
 */
export function companyIdpClient(o: CompanyIdpOptions): CompanyIdp {
  // openid-client is ESM-only; Node >= 20.19 loads it with require(), on first use (the CLI and the worker never do).
  let loaded: typeof OpenIdClient | undefined;
  const lib = () => {
    loaded ??= require("openid-client") as typeof OpenIdClient;
    return loaded;
  };
  const guardedFetch: OpenIdClient.CustomFetch = (url, init) =>
    outboundFetch(url, init as never, { allowPrivate: o.allowPrivate, timeoutMs: o.timeoutMs }) as never;

  const configure = (client: IdpClient): OpenIdClient.Configuration => {
    const oidc = lib();
    const config = new oidc.Configuration(
      client.serverMetadata as unknown as OpenIdClient.ServerMetadata,
      client.clientId,
      { client_secret: client.clientSecret },
      oidc.ClientSecretPost(client.clientSecret),
    );
    config[oidc.customFetch] = guardedFetch;
    if (o.allowPrivate) oidc.allowInsecureRequests(config);
    config.timeout = Math.ceil(o.timeoutMs / 1000);
    return config;
  };

  return {
    async discover(issuer) {
      const oidc = lib();
      let url: URL;
      try {
        url = await assertPublicTarget(issuer, o.allowPrivate);
      } catch (e) {
        if (e instanceof PrivateTargetError) throw new IdpCallError("private_target", e.reason);
        throw e;
      }
      try {
        const config = await oidc.discovery(url, "discovery", undefined, undefined, {
          [oidc.customFetch]: guardedFetch,
          execute: o.allowPrivate ? [oidc.allowInsecureRequests] : [],
          timeout: Math.ceil(o.timeoutMs / 1000),
        });
        return { ...config.serverMetadata() } as Record<string, unknown>;
      } catch (e) {
        throw new IdpCallError("discovery", reasonOf(e));
      }
    },

    async authorizationUrl(client, p) {
      const oidc = lib();
      return oidc.buildAuthorizationUrl(configure(client), {
        redirect_uri: p.redirectUri,
        scope: p.scopes.join(" "),
        state: p.state,
        nonce: p.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(p.codeVerifier),
        code_challenge_method: "S256",
      });
    },

    async exchange(client: IdpClient, callbackUrl: URL, checks: CallbackChecks): Promise<Claims> {
      const oidc = lib();
      try {
        const tokens = await oidc.authorizationCodeGrant(
          configure(client),
          callbackUrl,
          {
            pkceCodeVerifier: checks.codeVerifier,
            expectedState: checks.state,
            expectedNonce: checks.nonce,
            idTokenExpected: true,
          },
          { redirect_uri: checks.redirectUri },
        );
        const claims = tokens.claims();
        if (!claims) throw new Error("no ID token");
        return { ...claims } as Claims;
      } catch (e) {
        throw new IdpCallError("exchange", reasonOf(e));
      }
    },
  };
}

/** A short reason for the log and the audit record: openid-client's error code and message, or the network cause. */
function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string; error?: string; error_description?: string; cause?: unknown };
  if (err.cause instanceof PrivateTargetError) return err.cause.reason;
  const parts = [err.error ?? err.code, err.error_description ?? err.message].filter(Boolean);
  return parts.join(": ").slice(0, 300) || "unknown error";
}
