import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import type { SecretBox } from "../secret-box";
import { unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import { type ClientRow, OidcClientsRepository } from "./oidc-clients.repository";
import { assertClientInput, type ClientInput } from "./oidc-clients.rules";

const PURPOSE = "oidc.client";

export interface ClientInfo {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  createdAt: Date;
}

/** A client as the provider needs it, its secret opened. */
export interface ClientMetadata extends ClientInfo {
  clientSecret: string;
}

const info = (r: ClientRow): ClientInfo => ({
  clientId: r.clientId,
  name: r.name,
  redirectUris: r.redirectUris,
  postLogoutRedirectUris: r.postLogoutRedirectUris,
  backchannelLogoutUri: r.backchannelLogoutUri,
  createdAt: r.createdAt,
});

/** The platform's clients of Roster's OpenID Provider: first-party, confidential, their secret sealed at rest. */
export class OidcClientsService {
  private readonly repo = new OidcClientsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
  ) {}

  /** A new client; the secret is answered once, here. */
  async create(ctx: Ctx, input: ClientInput): Promise<ClientInfo & { clientSecret: string }> {
    const c = assertClientInput(input);
    const clientId = `rc_${randomBytes(12).toString("base64url")}`;
    const clientSecret = randomBytes(32).toString("base64url");
    return unitOfWork(this.ds, ctx, async (tx) => {
      if (await this.repo.findByName(tx.manager, c.name))
        throw new ConflictError("name", `a client named '${c.name}' already exists`);
      const row = await writeIn<ClientRow>(
        tx,
        this.repo.insert({ ...c, clientId, sealedSecret: this.box.seal(clientSecret, PURPOSE) }),
        {
          audits: [
            {
              action: "oidc_client.created",
              subject: { type: "oidc_client", id: null },
              changes: { clientId, ...c },
            },
          ],
          events: [],
        },
      );
      return { ...info(row!), clientSecret };
    });
  }

  /**
   * Roster's own client (the admin console) with `clientId`: made once with a sealed random secret, its redirect URIs
   * kept equal to the given ones (the public address may change between starts); answered with its secret.
   */
  async ensureOwn(
    ctx: Ctx,
    clientId: string,
    name: string,
    redirectUris: string[],
    postLogoutRedirectUris: string[],
  ): Promise<ClientMetadata> {
    const secret = randomBytes(32).toString("base64url");
    const row = { clientId, name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri: null };
    await writeAlone(this.ds, ctx, this.repo.insertIfAbsent({ ...row, sealedSecret: this.box.seal(secret, PURPOSE) }), {
      audits: [
        { action: "oidc_client.created", subject: { type: "oidc_client", id: null }, changes: { clientId, name } },
      ],
      events: [],
    });
    await writeAlone(this.ds, ctx, this.repo.setRedirectUris(clientId, redirectUris, postLogoutRedirectUris), {
      audits: [
        {
          action: "oidc_client.updated",
          subject: { type: "oidc_client", id: null },
          changes: { clientId, redirectUris, postLogoutRedirectUris },
        },
      ],
      events: [],
    });
    const own = await this.metadata(clientId);
    if (!own) throw new NotFoundError("Client", clientId);
    return own;
  }

  async list(): Promise<ClientInfo[]> {
    return (await withDb(() => this.repo.list(this.ds.manager))).map(info);
  }

  async delete(ctx: Ctx, clientId: string): Promise<void> {
    const row = await writeAlone(this.ds, ctx, this.repo.delete(clientId), {
      audits: [{ action: "oidc_client.deleted", subject: { type: "oidc_client", id: null }, changes: { clientId } }],
      events: [],
    });
    if (!row) throw new NotFoundError("Client", clientId);
  }

  /** The client with its secret, for the provider; null when unknown. */
  async metadata(clientId: string): Promise<ClientMetadata | null> {
    if (clientId.length > 200) return null;
    const row = await withDb(() => this.repo.find(this.ds.manager, clientId));
    return row ? { ...info(row), clientSecret: this.box.open(row.sealedSecret, PURPOSE) } : null;
  }

  /** The clients among `ids` to tell of a logout by back-channel. */
  async backchannelOf(ids: string[]): Promise<ClientInfo[]> {
    if (ids.length === 0) return [];
    return (await withDb(() => this.repo.withBackchannel(this.ds.manager, ids))).map(info);
  }
}
