import type { CompanyIdp, IdpClient } from "../../domain/sso/company-idp";
import type { OidcClientsService } from "../../domain/oidc/oidc-clients.service";
import { systemActor } from "../../domain/context";
import { companyIdpClient } from "../../net/company-idp.client";

/** The console's client id at Roster's own provider (not a name an admin can give a client: see oidc-clients.rules). */
export const CONSOLE_CLIENT_ID = "roster-console";
const CONSOLE_CLIENT_NAME = "Roster admin console (built in)";

export interface OwnClientOptions {
  /** Roster's issuer (PUBLIC_BASE_URL, else the listening address). */
  issuer: string;
  clients: OidcClientsService;
  timeoutMs: number;
}

/**
 * The console as a relying party of Roster's own OpenID Provider (decision 0136): the same certified client code as
 * company SSO (openid-client: discovery, PKCE, ID token checks) talking to the provider over HTTP at the issuer, like
 * any platform client. Its client is made on first use (any replica; the same id everywhere) and its redirect URIs
 * follow the issuer. Roster's own address is not an admin-typed target, so the outbound guard lets it through.
 */
export class OwnClient {
  readonly rp: CompanyIdp;
  readonly redirectUri: string;
  readonly signedOutUri: string;
  private client: Promise<IdpClient> | null = null;

  constructor(private readonly o: OwnClientOptions) {
    this.rp = companyIdpClient({ allowPrivate: true, timeoutMs: o.timeoutMs });
    this.redirectUri = `${o.issuer}/console/callback`;
    this.signedOutUri = `${o.issuer}/console/signed-out`;
  }

  /** The client and the provider's metadata, read once per process (again after a failure). */
  get(): Promise<IdpClient> {
    this.client ??= this.load().catch((e: unknown) => {
      this.client = null;
      throw e;
    });
    return this.client;
  }

  private async load(): Promise<IdpClient> {
    const ctx = { actor: systemActor, door: "system" as const, requestId: null };
    const own = await this.o.clients.ensureOwn(
      ctx,
      CONSOLE_CLIENT_ID,
      CONSOLE_CLIENT_NAME,
      [this.redirectUri],
      [this.signedOutUri],
    );
    const serverMetadata = await this.rp.discover(this.o.issuer);
    return { issuer: this.o.issuer, clientId: own.clientId, clientSecret: own.clientSecret, serverMetadata };
  }
}
