import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The parts of oidc-provider (ESM-only, untyped here; Node >= 20.19 loads it with require()) Roster uses. Kept narrow
 * on purpose: everything else of the library stays behind src/http/oidc/.
 */
export interface InteractionDetails {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  result?: Record<string, unknown>;
  grantId?: string;
  lastSubmission?: Record<string, unknown>;
}

export interface GrantInstance {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

export interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionResult(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<string>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  use(mw: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  proxy: boolean;
  Grant: {
    new (init: { clientId: string; accountId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  };
}

export interface KoaContext {
  path: string;
  method: string;
  query: Record<string, unknown>;
  querystring: string;
  oidc?: Record<string, unknown>;
}

export type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

/** oidc-provider's default export. */
export function loadProviderClass(): ProviderClass {
  return (require("oidc-provider") as { default: ProviderClass }).default;
}
