import { hashSecret, newApiToken } from "../secrets";
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Listener, listen } from "../../db/notifications";
import { logger } from "../../log";
import type { Ctx } from "../context";
import { ConflictError, InvalidError, NotFoundError, RefusedError } from "../errors";
import { isUuid } from "../ids";
import { scopeOf } from "../scope";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import type { UsersRepository } from "../users/users.repository";
import { type TokenRow, TokensRepository } from "./tokens.repository";

export const SCOPES = ["scim", "admin", "auditor"] as const;
export type Scope = (typeof SCOPES)[number];

export interface TokenInfo {
  id: string;
  name: string;
  scope: Scope;
  /** The person the token acts as (their role and admin scope apply), or null for a service token. */
  userId: string | null;
  createdAt: Date;
  /** When the token last opened a door (stamped at most once a minute: decision 0149), or null if never. */
  lastUsedAt: Date | null;
}

const REVOKED_CHANNEL = "roster_token_revoked";

/** How often a process stamps a token's last use (decision 0149): a write per token a minute, not per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Bearer tokens for IdPs, admins and auditors. Only a SHA-256 of each (high-entropy) token is stored. Tokens open the
 * whole organisation (or act as a person), so only an actor of the whole organisation creates or revokes them.
 */
export class TokensService {
  private cache = new Map<string, { info: TokenInfo; until: number }>();
  /** When this process last stamped each token's use (token id -> ms). */
  private readonly touched = new Map<string, number>();
  private readonly repo = new TokensRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly cacheMs = 0,
  ) {}

  /** `asUser` (a userName) binds an admin/auditor token to a person: it then has that person's rights, never more. */
  async create(ctx: Ctx, name: string, scope: string, asUser?: string): Promise<{ token: string; info: TokenInfo }> {
    wholeOrganisation(ctx);
    if (!/^[\w.@-]{1,100}$/.test(name))
      throw new InvalidError("name", "use 1-100 letters, digits, '.', '_', '@' or '-'");
    if (!SCOPES.includes(scope as Scope)) throw new InvalidError("scope", `must be one of ${SCOPES.join(", ")}`);
    const token = newApiToken();
    return unitOfWork(this.ds, ctx, async (tx) => {
      const live = await this.repo.findLiveByName(tx.manager, name);
      if (live) throw new ConflictError("name", `a token named '${name}' already exists`);
      const userId = asUser === undefined ? null : await this.personId(tx.manager, scope, asUser);
      const id = randomUUID();
      const row = await writeIn<TokenRow>(
        tx,
        this.repo.insert(id, { name, scope, tokenHash: hashSecret(token), userId }),
        {
          audits: [
            {
              action: "token.created",
              subject: { type: "token", id },
              changes: { name, scope, ...(userId ? { userId } : {}) },
            },
          ],
          events: [],
        },
      );
      return { token, info: toInfo(row!) };
    });
  }

  private async personId(m: EntityManager, scope: string, userName: string): Promise<string> {
    if (scope === "scim") throw new InvalidError("user", "only admin and auditor tokens can act as a person");
    const id = await this.users.liveIdByUserName(m, userName);
    if (!id) throw new NotFoundError("User", userName);
    return id;
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await withDb(() => this.repo.listLive(this.ds.manager));
    return rows.map(toInfo);
  }

  /** The live token of `id` (the console's revoke confirmation), never its secret. */
  async get(id: string): Promise<TokenInfo> {
    const row = isUuid(id) ? await withDb(() => this.repo.findLive(this.ds.manager, id)) : null;
    if (!row) throw new NotFoundError("Token", id);
    return toInfo(row);
  }

  /** Revokes the live token named `name` (the CLI). */
  revoke(ctx: Ctx, name: string): Promise<void> {
    return this.revokeWhere(ctx, (m) => this.repo.findLiveByName(m, name), name);
  }

  /** Revokes the live token of `id` (the console: an id cannot name a token made later under the same name). */
  revokeById(ctx: Ctx, id: string): Promise<void> {
    return this.revokeWhere(ctx, (m) => (isUuid(id) ? this.repo.findLive(m, id) : Promise.resolve(null)), id);
  }

  private async revokeWhere(
    ctx: Ctx,
    find: (m: EntityManager) => Promise<TokenRow | null>,
    named: string,
  ): Promise<void> {
    wholeOrganisation(ctx);
    await unitOfWork(this.ds, ctx, async (tx) => {
      const row = await find(tx.manager);
      if (!row) throw new NotFoundError("Token", named);
      await writeIn(tx, this.repo.revoke(row.id, new Date()), {
        audits: [{ action: "token.revoked", subject: { type: "token", id: row.id }, changes: { name: row.name } }],
        events: [],
      });
      // Delivered on commit to every server process listening (watchRevocations).
      await tx.manager.query("SELECT pg_notify($1, $2)", [REVOKED_CHANNEL, row.id]);
    });
    this.cache.clear();
  }

  /** Forgets cached tokens whenever any process revokes one, so a revocation bites at once everywhere. */
  async watchRevocations(url: string): Promise<Listener> {
    const forget = () => this.cache.clear();
    return listen(url, REVOKED_CHANNEL, forget, forget);
  }

  /**
   * The live token a bearer string stands for, or null. Cached for `cacheMs`; revocations clear the cache
   * at once through watchRevocations, and the TTL bounds staleness should that listener be down.
   */
  async authenticate(token: string): Promise<TokenInfo | null> {
    const hash = hashSecret(token);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) {
      await this.noteUse(hit.info.id);
      return hit.info;
    }
    const row = await withDb(() => this.repo.findLiveByHash(this.ds.manager, hash));
    const info = row ? toInfo(row) : null;
    if (info && this.cacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { info, until: Date.now() + this.cacheMs });
    }
    if (info) await this.noteUse(info.id);
    return info;
  }

  /**
   * Stamps the token's last use at most once a minute from this process. A failed stamp never refuses the request
   * it came with: the token is valid, only the "last use" shown to admins is late.
   */
  private async noteUse(id: string): Promise<void> {
    const now = Date.now();
    if ((this.touched.get(id) ?? 0) > now - TOUCH_EVERY_MS) return;
    if (this.touched.size > 10_000) this.touched.clear();
    this.touched.set(id, now);
    try {
      await this.repo.touch(this.ds.manager, id);
    } catch (err) {
      this.touched.delete(id);
      logger.warn({ err, tokenId: id }, "could not stamp a token's last use");
    }
  }
}

function toInfo(r: TokenRow): TokenInfo {
  return { id: r.id, name: r.name, scope: r.scope, userId: r.userId, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt };
}

function wholeOrganisation(ctx: Ctx): void {
  if (scopeOf(ctx) !== null)
    throw new RefusedError(
      "out_of_scope",
      "forbidden",
      "API tokens open the whole organisation: only an admin of the whole organisation may create or revoke them",
    );
}
