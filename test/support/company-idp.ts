import { generateKeyPairSync, randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A person the company IdP signs in: `sub` and the claims its ID token carries. */
export type IdpAccount = { sub: string } & Record<string, unknown>;

export interface CompanyIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lets the IdP send the browser back to this redirect URI (a connection's, known once it is created). */
  allowRedirect(uri: string): void;
  /** Who the next sign-in at the IdP is (no login form: the test says who signs in). */
  signInAs(account: IdpAccount): void;
  close(): Promise<void>;
}

/**
 * A real company IdP for tests: a second `oidc-provider` on loopback (test signing keys generated at start), with one
 * confidential client whose redirect URIs the test adds, claims in the ID token, and no login or consent pages: the
 * interaction signs in the account `signInAs` named.
 */
export async function startCompanyIdp(): Promise<CompanyIdp> {
  // oidc-provider is ESM-only; Node >= 20.19 loads it with require().
  const { default: Provider } = require("oidc-provider");
  const { default: MemoryAdapter } = require("oidc-provider/lib/adapters/memory_adapter.js");
  const clientId = `roster-${randomUUID()}`;
  const clientSecret = randomUUID() + randomUUID();
  const redirects: string[] = [];
  const accounts = new Map<string, IdpAccount>();
  let next: IdpAccount | null = null;

  class Adapter extends MemoryAdapter {
    constructor(private readonly model: string) {
      super(model);
    }
    async find(id: string) {
      if (this.model === "Client" && id === clientId) {
        return {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [...redirects],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_post",
        };
      }
      return super.find(id);
    }
  }

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(issuer, {
    adapter: Adapter,
    jwks: { keys: [{ ...jwk, kid: "test-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomUUID()] },
    claims: {
      openid: ["sub", "oid", "groups", "dept"],
      email: ["email", "email_verified"],
      profile: ["given_name", "family_name", "name", "locale"],
    },
    conformIdTokenClaims: false,
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: async () => account } : undefined;
    },
    // first-party for the test: no consent page
    loadExistingGrant: async (ctx: {
      oidc: {
        provider: { Grant: new (p: object) => GrantLike };
        client: { clientId: string };
        session: { accountId: string };
      };
    }) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on("request", async (req, res) => {
    try {
      if (req.url?.startsWith("/interaction/")) {
        if (!next) throw new Error("the test did not say who signs in at the company IdP");
        accounts.set(next.sub, next);
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: next.sub } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      handle(req, res);
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    allowRedirect: (uri) => void redirects.push(uri),
    signInAs: (account) => {
      next = account;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface GrantLike {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
