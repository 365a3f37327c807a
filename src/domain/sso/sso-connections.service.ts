import type { DataSource } from "typeorm";
import { diffFields } from "../audit";
import type { Ctx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import { InvalidError, NotFoundError, PreconditionFailedError, RefusedError } from "../errors";
import { scopeOf } from "../scope";
import type { SecretBox } from "../secret-box";
import { recordIn, unitOfWork, withDb, writeIn } from "../unit-of-work";
import { type CompanyIdp, IdpCallError } from "./company-idp";
import { CLIENT_SECRET_PURPOSE, type SsoConnection } from "./connection";
import {
  type ConnectionInput,
  checkClaimMapping,
  checkIssuer,
  checkJit,
  checkLinkClaim,
  checkRequiredGroups,
  checkScopes,
} from "./connection.rules";
import { type ConnectionWrite, SsoConnectionsRepository, rowToConnection } from "./sso-connections.repository";

export interface SsoConnectionsOptions {
  /** The redirect URI of a connection, to register at its IdP (PUBLIC_BASE_URL/auth/sso/<id>/callback). */
  redirectUri(id: string): string;
}

/** What an admin sees of a connection: never its secret, always the redirect URI to register at the IdP. */
export interface ConnectionView extends SsoConnection {
  redirectUri: string;
}

/**
 * Company SSO connections: created, changed and deleted by admins of the whole organisation, each write discovering
 * the issuer first (a discovery that fails, or an issuer Roster may not call, is refused before anything is written),
 * its client secret sealed at rest (secret-box), audited as `sso_connection.*`.
 */
export class SsoConnectionsService {
  private readonly repo = new SsoConnectionsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly entities: EntitiesRepository,
    private readonly idp: CompanyIdp,
    private readonly box: SecretBox,
    private readonly o: SsoConnectionsOptions,
  ) {}

  async list(): Promise<ConnectionView[]> {
    return (await withDb(() => this.repo.list(this.ds.manager))).map((c) => this.view(c));
  }

  async get(id: string): Promise<ConnectionView> {
    const c = await withDb(() => this.repo.find(this.ds.manager, id));
    if (!c) throw new NotFoundError("SsoConnection", id);
    return this.view(c);
  }

  /** The enabled connections, as the sign-in page's buttons. */
  buttons(): Promise<{ id: string; name: string }[]> {
    return withDb(() => this.repo.enabledButtons(this.ds.manager));
  }

  async create(ctx: Ctx, input: ConnectionInput): Promise<ConnectionView> {
    assertWholeOrganisation(ctx);
    if (!input.clientSecret) throw new InvalidError("clientSecret", "the client secret the IdP gave is required");
    const write = await this.prepare(input, this.box.seal(input.clientSecret, CLIENT_SECRET_PURPOSE));
    const row = await unitOfWork(this.ds, ctx, async (tx) => {
      await this.assertEntity(tx.manager, write.jit.defaultEntityId);
      const inserted = await writeIn<Parameters<typeof rowToConnection>[0]>(tx, this.repo.insert(write), {
        audits: [],
        events: [],
      });
      const created = rowToConnection(inserted!);
      await recordIn(tx, {
        audits: [
          {
            action: "sso_connection.created",
            subject: { type: "sso_connection", id: created.id },
            changes: audited(created),
          },
        ],
        events: [],
      });
      return created;
    });
    return this.view(row);
  }

  /** Replaces a connection (a PUT); the stored secret is kept when none is given. `ifMatch`: the versions read. */
  async update(ctx: Ctx, id: string, input: ConnectionInput, ifMatch?: number[]): Promise<ConnectionView> {
    assertWholeOrganisation(ctx);
    const sealed = input.clientSecret ? this.box.seal(input.clientSecret, CLIENT_SECRET_PURPOSE) : null;
    const write = await this.prepare(input, sealed ?? "");
    const row = await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.repo.lock(tx.manager, id);
      if (!current) throw new NotFoundError("SsoConnection", id);
      if (ifMatch && !ifMatch.includes(current.version)) throw new PreconditionFailedError(current.version);
      await this.assertEntity(tx.manager, write.jit.defaultEntityId);
      const next = { ...write, clientSecretSealed: sealed ?? current.clientSecretSealed };
      const updated = rowToConnection(
        (await writeIn<Parameters<typeof rowToConnection>[0]>(tx, this.repo.update(id, next), {
          audits: [],
          events: [],
        }))!,
      );
      const changes = diffFields(audited(current), audited(updated));
      if (sealed) changes.clientSecret = { before: "(sealed)", after: "(sealed, changed)" };
      await recordIn(tx, {
        audits: [{ action: "sso_connection.updated", subject: { type: "sso_connection", id }, changes }],
        events: [],
      });
      return updated;
    });
    return this.view(row);
  }

  /** Deletes a connection; the links it made stay (a person is found by issuer and subject, not by connection). */
  async remove(ctx: Ctx, id: string): Promise<void> {
    assertWholeOrganisation(ctx);
    await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.repo.lock(tx.manager, id);
      if (!current) throw new NotFoundError("SsoConnection", id);
      await writeIn(tx, this.repo.remove(id), {
        audits: [
          { action: "sso_connection.deleted", subject: { type: "sso_connection", id }, changes: audited(current) },
        ],
        events: [],
      });
    });
  }

  /** Every field checked, then the issuer discovered (outside any transaction: it is a call to another server). */
  private async prepare(input: ConnectionInput, clientSecretSealed: string): Promise<ConnectionWrite> {
    const name = input.name.trim();
    if (name === "") throw new InvalidError("name", "a connection has a name people recognise on the sign-in page");
    const issuer = checkIssuer(input.issuer);
    if (input.clientId.trim() === "") throw new InvalidError("clientId", "the client id the IdP gave is required");
    const write: ConnectionWrite = {
      name,
      issuer,
      clientId: input.clientId.trim(),
      clientSecretSealed,
      scopes: checkScopes(input.scopes),
      linkClaim: checkLinkClaim(input.linkClaim),
      trustEmail: input.trustEmail ?? false,
      jit: checkJit(input.jit),
      claimMapping: checkClaimMapping(input.claimMapping),
      requiredGroups: checkRequiredGroups(input.requiredGroups),
      serverMetadata: {},
      enabled: input.enabled ?? true,
    };
    write.serverMetadata = await this.discover(issuer);
    return write;
  }

  private async discover(issuer: string): Promise<Record<string, unknown>> {
    try {
      return await this.idp.discover(issuer);
    } catch (e) {
      if (!(e instanceof IdpCallError)) throw e;
      if (e.kind === "private_target") {
        throw new InvalidError(
          "issuer",
          `Roster may not call this issuer (${e.reason}): only public https issuers, unless ALLOW_PRIVATE_TARGETS is true`,
        );
      }
      throw new InvalidError("issuer", `discovery of the issuer failed (${e.reason})`);
    }
  }

  private async assertEntity(m: Parameters<EntitiesRepository["findById"]>[0], id: string | null): Promise<void> {
    if (id !== null && !(await this.entities.findById(m, id)))
      throw new InvalidError("jit.defaultEntityId", "names no entity");
  }

  private view(c: SsoConnection): ConnectionView {
    return { ...c, redirectUri: this.o.redirectUri(c.id) };
  }
}

function assertWholeOrganisation(ctx: Ctx): void {
  if (scopeOf(ctx) !== null)
    throw new RefusedError(
      "out_of_scope",
      "forbidden",
      "SSO connections apply to the whole organisation: only an admin of the whole organisation may change them",
    );
}

/** What an audit record keeps of a connection: everything but the secret and the discovered metadata. */
const audited = (c: SsoConnection): Record<string, unknown> => ({
  name: c.name,
  issuer: c.issuer,
  clientId: c.clientId,
  scopes: c.scopes,
  linkClaim: c.linkClaim,
  trustEmail: c.trustEmail,
  jit: c.jit,
  claimMapping: c.claimMapping,
  requiredGroups: c.requiredGroups,
  enabled: c.enabled,
});
