import { hkdfSync } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Services } from "../../composition";
import { systemActor } from "../../domain/context";
import { logger } from "../../log";
import type { InteractionFinisher } from "./complete-sign-in.impl";
import { ROUTES, providerConfiguration } from "./provider-config";
import { type InteractionDetails, type OidcProvider, loadProviderClass } from "./provider-types";

export interface HolderOptions {
  issuer: string;
  /** The key-encryption secret: the provider's cookie keys are derived from it, so every replica shares them. */
  master: Buffer;
  /** How often the signing keys' version is checked (OIDC_KEY_REFRESH_SECONDS): a rotation is picked up within it. */
  refreshMs: number;
  trustProxy: boolean;
}

const PROVIDER_PATHS = new Set(["/.well-known/openid-configuration"]);
const isProviderPath = (path: string) => PROVIDER_PATHS.has(path) || path.startsWith("/oidc/");

/**
 * Roster's OpenID Provider (oidc-provider) inside the express app. Built on first use from the keys in PostgreSQL
 * (the first one made then), and built again when another replica (or the CLI) rotated them: the keys' version is
 * checked at most every `refreshMs`, so every replica signs with the new key within that time. The state lives in
 * PostgreSQL, so a rebuilt provider, or another replica, carries on every session. Each check also prunes expired rows.
 */
export class ProviderHolder implements InteractionFinisher {
  private current: { provider: OidcProvider; version: string } | null = null;
  private checkedAt = 0;
  private pending: Promise<OidcProvider> | null = null;
  private readonly cookieKeys: string[];

  constructor(
    private readonly services: Services,
    private readonly o: HolderOptions,
  ) {
    const key = Buffer.from(hkdfSync("sha256", o.master, Buffer.alloc(0), "roster oidc-provider cookies", 32));
    this.cookieKeys = [key.toString("base64url")];
  }

  /** The provider of the current keys. */
  get(): Promise<OidcProvider> {
    if (this.current && Date.now() - this.checkedAt < this.o.refreshMs) return Promise.resolve(this.current.provider);
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Serves the provider's endpoints (discovery, /oidc/...); other paths go on. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!isProviderPath(req.path)) return next();
      this.get().then(
        (p) => p.callback()(req, res),
        (err) => next(err),
      );
    };
  }

  async details(req: Request, res: Response): Promise<InteractionDetails | null> {
    try {
      return await (await this.get()).interactionDetails(req, res);
    } catch {
      return null; // no interaction cookie, or the interaction expired or was finished
    }
  }

  async isOpen(req: Request, res: Response, uid: string): Promise<boolean> {
    return (await this.details(req, res))?.uid === uid;
  }

  async finish(req: Request, res: Response, _uid: string, accountId: string, amr: string[]): Promise<void> {
    await (await this.get()).interactionFinished(
      req,
      res,
      { login: { accountId, amr } },
      { mergeWithLastSubmission: false },
    );
  }

  private async refresh(): Promise<OidcProvider> {
    const version = await this.services.oidcKeys.version();
    this.services.oidcState
      .pruneExpired()
      .catch((err) => logger.warn({ err }, "pruning expired provider state failed"));
    if (!this.current || this.current.version !== version || !version) {
      const keys = await this.services.oidcKeys.keys({ actor: systemActor, door: "system", requestId: null });
      const Provider = loadProviderClass();
      const provider = new Provider(this.o.issuer, providerConfiguration(this.services, keys, this.cookieKeys));
      provider.proxy = this.o.trustProxy;
      provider.use(askConsentForOfflineAccess);
      provider.on("server_error", (_ctx, err) => logger.error({ err }, "OpenID Provider error"));
      this.current = { provider, version: await this.services.oidcKeys.version() };
    }
    this.checkedAt = Date.now();
    return this.current.provider;
  }
}

/**
 * OpenID Core keeps `offline_access` only with prompt=consent (oidc-provider drops it otherwise). Platform clients are
 * first-party and consent is never shown (the interaction grants it at once), so asking for offline_access implies it.
 */
async function askConsentForOfflineAccess(
  ctx: { path: string; method: string; query: Record<string, unknown> },
  next: () => Promise<void>,
) {
  if (ctx.path === ROUTES.authorization && ctx.method === "GET") {
    const q = ctx.query;
    if (typeof q.scope === "string" && q.scope.split(" ").includes("offline_access") && q.prompt === undefined)
      ctx.query = { ...q, prompt: "consent" };
  }
  await next();
}
