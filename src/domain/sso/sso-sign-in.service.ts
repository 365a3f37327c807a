import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { AccessErrorCode } from "../auth/access-errors";
import type { Ctx } from "../context";
import { withDb } from "../unit-of-work";
import type { SecretBox } from "../secret-box";
import { type CompanyIdp, IdpCallError, type IdpClient } from "./company-idp";
import { CLIENT_SECRET_PURPOSE, type SsoConnection, type SsoConnectionSecrets } from "./connection";
import { SsoLinksRepository } from "./sso-links.repository";
import { SsoConnectionsRepository } from "./sso-connections.repository";
import { type SsoAttempt, SsoRefusedError } from "./sso-refusal";
import type { SsoAccounts } from "./sso-accounts";
import { emailOf } from "./sso.rules";

export interface SsoSignInOptions {
  redirectUri(connectionId: string): string;
  /** How long a sign-in may stay at the IdP before its state expires (login_expired). */
  stateTtlSeconds: number;
}

/** A person known at the end of an SSO sign-in, for the provider's CompleteSignIn. */
export interface SsoSignedIn {
  userId: string;
  interactionUid: string;
  connectionId: string;
  email: string | null;
}

const random = () => randomBytes(32).toString("base64url");

/**
 * The relying-party flow of company SSO: `start` keeps state, nonce and PKCE verifier server-side (any replica serves
 * the callback), bound to the provider's interaction, and answers the IdP's authorization URL; `callback` takes that
 * state once, has the IdP's code exchanged and its ID token checked, then finds or creates the person (SsoAccounts).
 * Every refusal is an SsoRefusedError with its stable code.
 */
export class SsoSignInService {
  private readonly connections = new SsoConnectionsRepository();
  private readonly links = new SsoLinksRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly accounts: SsoAccounts,
    private readonly idp: CompanyIdp,
    private readonly box: SecretBox,
    private readonly o: SsoSignInOptions,
  ) {}

  /** The IdP's authorization URL for this interaction, and the state the browser keeps (a cookie) to come back with. */
  async start(connectionId: string, interactionUid: string): Promise<{ url: URL; state: string }> {
    const attempt: SsoAttempt = { connectionId, interactionUid, email: null };
    const conn = await this.connection(connectionId, attempt);
    const state = random();
    const nonce = random();
    const codeVerifier = random();
    await withDb(() =>
      this.links.saveState(
        this.ds.manager,
        { state, connectionId, interactionUid, nonce, codeVerifier },
        this.o.stateTtlSeconds,
      ),
    );
    const url = await this.idp.authorizationUrl(this.client(conn), {
      redirectUri: this.o.redirectUri(connectionId),
      scopes: conn.scopes,
      state,
      nonce,
      codeVerifier,
    });
    return { url, state };
  }

  /**
   * The IdP sent the browser back: `browserState` is the state its cookie kept (a callback another browser started,
   * or one replayed, is login_expired). The person signed in, or an SsoRefusedError.
   */
  async callback(ctx: Ctx, connectionId: string, query: string, browserState: string | null): Promise<SsoSignedIn> {
    // the URL the IdP redirected to, rebuilt from the registered redirect URI (never from the request's Host header)
    const callbackUrl = new URL(this.o.redirectUri(connectionId));
    callbackUrl.search = query;
    const state = callbackUrl.searchParams.get("state");
    const expired: SsoAttempt = { connectionId, interactionUid: null, email: null };
    if (!state || state !== browserState)
      throw new SsoRefusedError(
        "login_expired",
        "the sign-in was not started in this browser, or took too long",
        expired,
      );
    const kept = await withDb(() => this.links.takeState(this.ds.manager, state, connectionId));
    if (!kept) throw new SsoRefusedError("login_expired", "the sign-in took too long or was already used", expired);
    const attempt: SsoAttempt = { connectionId, interactionUid: kept.interactionUid, email: null };
    const conn = await this.connection(connectionId, attempt);
    const idpError = callbackUrl.searchParams.get("error");
    if (idpError) {
      const described = callbackUrl.searchParams.get("error_description");
      throw new SsoRefusedError(
        "idp_error",
        `the IdP answered ${idpError}${described ? `: ${described}` : ""}`,
        attempt,
      );
    }
    let claims: Record<string, unknown>;
    try {
      claims = await this.idp.exchange(this.client(conn), callbackUrl, {
        state,
        nonce: kept.nonce,
        codeVerifier: kept.codeVerifier,
        redirectUri: this.o.redirectUri(connectionId),
      });
    } catch (e) {
      if (e instanceof IdpCallError) throw new SsoRefusedError("idp_error", e.reason, attempt);
      throw e;
    }
    const email = emailOf(claims);
    const signedIn = { ...attempt, email };
    const userId = await this.accounts.resolve(ctx, conn, claims, (code: AccessErrorCode, detail: string) => {
      throw new SsoRefusedError(code, detail, signedIn);
    });
    return { userId, interactionUid: kept.interactionUid, connectionId, email };
  }

  private async connection(id: string, attempt: SsoAttempt): Promise<SsoConnection & SsoConnectionSecrets> {
    const conn = await withDb(() => this.connections.findWithSecrets(this.ds.manager, id));
    if (!conn?.enabled) throw new SsoRefusedError("idp_error", "no such SSO connection, or it is turned off", attempt);
    return conn;
  }

  private client(conn: SsoConnection & SsoConnectionSecrets): IdpClient {
    return {
      issuer: conn.issuer,
      clientId: conn.clientId,
      clientSecret: this.box.open(conn.clientSecretSealed, CLIENT_SECRET_PURPOSE),
      serverMetadata: conn.serverMetadata,
    };
  }
}
