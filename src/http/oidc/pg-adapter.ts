import type { ClientMetadata, OidcClientsService } from "../../domain/oidc/oidc-clients.service";
import type { OidcStateService } from "../../domain/oidc/oidc-state.service";

type Payload = Record<string, unknown>;

/** The adapter interface oidc-provider calls, one instance per model (Session, Grant, AccessToken, Client...). */
export interface ProviderAdapter {
  upsert(id: string, payload: Payload, expiresIn: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** A platform client as oidc-provider reads it: first-party, confidential, code flow (PKCE) and refresh tokens. */
export function clientPayload(c: ClientMetadata): Payload {
  return {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    client_name: c.name,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...(c.backchannelLogoutUri
      ? { backchannel_logout_uri: c.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
  };
}

/**
 * The provider's storage in PostgreSQL (oidc_payloads, through OidcStateService), so any replica serves any step of
 * a sign-in, and a leaver's sessions and tokens can be deleted in one place. Clients are read from oidc_clients:
 * one made by `npx roster client create` is known to every replica at once.
 */
export function pgAdapter(state: OidcStateService, clients: OidcClientsService) {
  return class PgAdapter implements ProviderAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
      if (this.model === "Client") return; // clients are made through the clients service, never by the provider
      await state.upsert(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === "Client") {
        const c = await clients.metadata(id);
        return c ? clientPayload(c) : undefined;
      }
      return this.found(await state.find(this.model, "id", id));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.found(await state.find(this.model, "user_code", userCode));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return this.found(await state.find(this.model, "uid", uid));
    }

    consume(id: string): Promise<void> {
      return state.consume(this.model, id);
    }

    destroy(id: string): Promise<void> {
      return state.destroy(this.model, id);
    }

    revokeByGrantId(grantId: string): Promise<void> {
      return state.revokeByGrantId(grantId);
    }

    private found(row: { payload: Payload; consumed: number | null } | null): Payload | undefined {
      if (!row) return undefined;
      return row.consumed ? { ...row.payload, consumed: row.consumed } : row.payload;
    }
  };
}
